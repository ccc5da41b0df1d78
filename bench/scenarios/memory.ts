/**
 * Memory: the peak resident set (RSS) of each service process over the whole run, sampled every
 * 500 ms from /proc (and the kernel's own high-water mark, VmHWM). If no earlier scenario loaded
 * the stack, a mixed load runs first: tickets through the whole pipeline and dashboard reads.
 */
import { spawn } from 'node:child_process';
import type { BenchContext, Figure, Scenario, ScenarioOutcome } from '../support/context';
import { rssOf } from '../support/proc';
import { ROOT } from '../support/stack';
import { waitDrained } from '../support/flow';
import { describeLoad } from '../support/load';
import { measured } from '../support/phase';
import { mb, sleep } from '../support/stats';
import { ticketLoad } from '../support/tickets';

const SERVICES = ['gateway', 'intake', 'assignment', 'supervision', 'metrics'];

/** Where a service's memory is now, from its own Prometheus metrics (prom-client's default collectors). */
async function breakdown(ctx: BenchContext, key: string): Promise<Record<string, number>> {
  const port = ctx.stack.running.get(key)?.port;
  return port ? heapOf(port) : {};
}

/** Heap and RSS a service reports on /metrics, in MB. */
export async function heapOf(port: number): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
  const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return {
    rssMb: mb(value('process_resident_memory_bytes')),
    heapTotalMb: mb(value('nodejs_heap_size_total_bytes')),
    heapUsedMb: mb(value('nodejs_heap_size_used_bytes')),
    externalMb: mb(value('nodejs_external_memory_bytes')),
  };
}

/**
 * Every 5 s, each service's heap as it reports it: the largest heap (total and used) seen per
 * service, to tell JavaScript objects from native memory in the RSS peaks.
 */
export class HeapWatch {
  readonly peaks: Record<string, { heapTotalMb: number; heapUsedMb: number; externalMb: number; rssMb: number }> = {};
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly ctx: Pick<BenchContext, 'stack'>) {}

  start(): void {
    this.timer = setInterval(() => void this.sample(), 5_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async sample(): Promise<void> {
    for (const [key, r] of this.ctx.stack.running) {
      try {
        const h = await heapOf(r.port);
        const peak = this.peaks[key] ?? { heapTotalMb: 0, heapUsedMb: 0, externalMb: 0, rssMb: 0 };
        this.peaks[key] = {
          heapTotalMb: Math.max(peak.heapTotalMb, h.heapTotalMb || 0),
          heapUsedMb: Math.max(peak.heapUsedMb, h.heapUsedMb || 0),
          externalMb: Math.max(peak.externalMb, h.externalMb || 0),
          rssMb: Math.max(peak.rssMb, h.rssMb || 0),
        };
      } catch {
        // busy or restarting: next time
      }
    }
  }
}

/** RSS of an idle Node process, plain and with the TypeScript loader the services run under. */
async function baseline(args: string[]): Promise<number> {
  const child = spawn(process.execPath, [...args, '-e', 'setTimeout(() => {}, 4000)'], { cwd: ROOT, stdio: 'ignore' });
  await sleep(2_500);
  const rss = child.pid ? (rssOf(child.pid)?.rss ?? 0) : 0;
  child.kill();
  return mb(rss);
}

export const memory: Scenario = {
  name: 'memory',
  title: 'memory: peak RSS of each service under load',
  async run(ctx): Promise<ScenarioOutcome> {
    const phases = [];
    const loaded = Object.keys(ctx.monitor.phasePeakRss()).some((p) => p !== 'start-up');
    if (!loaded) {
      const token = await ctx.stack.token('operator');
      const leader = await ctx.stack.token('leader');
      const { result, record } = await measured(ctx, 'memory: mixed load', async () => {
        const tickets = ctx.load.run(ticketLoad(ctx, token, { mode: 'rate', rate: 300, sockets: 64, durationMs: ctx.pick(60_000, 20_000) }));
        const reads = await fetch(`${ctx.stack.gatewayUrl}/api/metrics/overview`, { headers: { authorization: `Bearer ${leader}` } });
        await reads.text();
        return tickets;
      });
      phases.push(record);
      ctx.log(`  ${describeLoad(result)}`);
      await waitDrained(ctx, ctx.pick(300_000, 120_000));
    }
    const now: Record<string, Record<string, number>> = {};
    for (const key of ctx.stack.running.keys()) now[key] = await breakdown(ctx, key).catch(() => ({}));
    const bare = { node: await baseline([]), swcRegister: await baseline(['-r', '@swc-node/register']), swcRegisterWithSourceMaps: await baseline(['--enable-source-maps', '-r', '@swc-node/register']) };
    ctx.log(`  now: ${JSON.stringify(now)}`);
    ctx.log(
      `  an idle node process: ${bare.node} MB; with the TypeScript loader \`npm start\` runs the services under (-r @swc-node/register): ${bare.swcRegister} MB ` +
        `(this run: ${ctx.options.fromSource ? 'from source' : 'compiled, as the images run them'})`,
    );
    const peaks = ctx.monitor.peakRss();
    const byPhase = ctx.monitor.phasePeakRss();
    const figures: Figure[] = [];
    for (const [key, peak] of Object.entries(peaks).sort()) {
      if (key === 'load generator') continue;
      const base = key.split(/[#@]/)[0];
      if (!SERVICES.includes(base)) continue;
      // Under load: the highest sample of any phase but the start-up (seeding, compiling).
      let loaded = { rss: 0, phase: '' };
      for (const [phase, values] of Object.entries(byPhase)) {
        if (phase !== 'start-up' && (values[key] ?? 0) > loaded.rss) loaded = { rss: values[key], phase };
      }
      const startUp = byPhase['start-up']?.[key];
      const heap = ctx.heapPeaks?.[key];
      figures.push({
        key: `memory.${key}`,
        label: `peak RSS of ${key} under load`,
        value: mb(loaded.rss || peak.rss),
        unit: 'MB',
        target: { op: '<=', value: 250 },
        note:
          `during "${loaded.phase || peak.phase}"` +
          `${startUp ? `; ${mb(startUp)} MB after start-up` : ''}${peak.kernelPeak ? `; kernel high-water mark ${mb(peak.kernelPeak)} MB` : ''}` +
          `${heap ? `; largest V8 heap seen ${heap.heapTotalMb} MB (${heap.heapUsedMb} MB used)` : ''}`,
      });
    }
    ctx.log(`  ${figures.map((f) => `${f.key.slice(7)} ${f.value} MB`).join(', ')}`);
    return { figures, details: { fromSource: ctx.options.fromSource, peaks, byPhase, heapPeaks: ctx.heapPeaks, now, bare }, phases };
  },
};
