/**
 * Replay: metrics drops its projections and rebuilds them from the events topics, with the
 * command an operator runs (`npm run metrics:replay`, i.e. `main.js replay` of the metrics
 * service; apps/metrics/src/replay/replay-projections.ts) while the service is stopped. Timed
 * from the command's start until the inbox holds every event again — by the command itself, or,
 * if the command only rewinds the consumer group, by the service started again — and the rebuilt
 * projections are compared with the ones dropped.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BenchContext, Figure, PhaseRecord, Scenario, ScenarioOutcome } from '../support/context';
import { describeProfile, summariseProfile } from '../support/cpu-profile';
import { TOPIC, waitDrained } from '../support/flow';
import { topicEnds } from '../support/kafka-read';
import { describeLoad } from '../support/load';
import { measured } from '../support/phase';
import { round, sleep } from '../support/stats';
import { ticketLoad } from '../support/tickets';

async function projectionTotals(ctx: BenchContext): Promise<Record<string, number>> {
  const { rows } = await ctx.stack.pool.query(
    `SELECT (SELECT count(*)::int FROM metrics.timeline_entry) AS timeline,
            (SELECT count(*)::int FROM metrics.ticket_view) AS tickets,
            (SELECT coalesce(sum(value), 0)::bigint FROM metrics.daily_counter) AS counted,
            (SELECT count(*)::int FROM metrics.processed_event WHERE consumer = 'metrics') AS inbox`,
  );
  const r = rows[0] as Record<string, string | number>;
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)]));
}

async function inboxCount(ctx: BenchContext): Promise<{ n: number; first: Date | null; last: Date | null }> {
  const { rows } = await ctx.stack.pool.query<{ n: number; first: Date | null; last: Date | null }>(
    `SELECT count(*)::int AS n, min(processed_at) AS first, max(processed_at) AS last FROM metrics.processed_event WHERE consumer = 'metrics'`,
  );
  return rows[0];
}

/** Makes sure the topics hold at least `events` events, filing tickets through intake if not. */
export async function ensureEvents(ctx: BenchContext, events: number): Promise<number> {
  const topics = Object.values(TOPIC).map((t) => ctx.stack.wire(t));
  const have = await topicEnds(ctx.stack.admin, topics).catch(() => 0);
  if (have >= events) return have;
  const rate = ctx.pick(300, 150);
  const tickets = Math.ceil((events - have) / 3);
  const durationMs = Math.min(240_000, Math.ceil((tickets / rate) * 1000));
  ctx.log(`  the topics hold ${have} events: filing tickets at ${rate}/s for ${(durationMs / 1000).toFixed(0)} s`);
  const token = await ctx.stack.token('operator');
  const result = await ctx.load.run(ticketLoad(ctx, token, { mode: 'rate', rate, sockets: 64, durationMs }));
  ctx.log(`  ${describeLoad(result)}`);
  await waitDrained(ctx, ctx.pick(600_000, 240_000));
  return topicEnds(ctx.stack.admin, topics);
}

interface ReplayRun {
  rate: number;
  seconds: number;
  same: boolean;
  before: Record<string, number>;
  after: Record<string, number>;
  commandPhases?: { readMs: number; projectMs: number; departmentTableMs: number };
  commandMs: number;
  commandCpuSeconds: number;
  commandPeakRssMb: number;
  staged: boolean;
  serviceMs: number;
  byService: boolean;
  otherLoad: number;
}

/** One run of the replay command with `env`, timed until the inbox holds every event again. */
async function replayOnce(ctx: BenchContext, how: string, env: Record<string, string>, phases: PhaseRecord[], profile: boolean): Promise<ReplayRun> {
  const { stack } = ctx;
  await waitDrained(ctx, ctx.pick(600_000, 120_000));
  const before = await projectionTotals(ctx);
  const port = stack.running.get('metrics')?.port ?? stack.ports.metrics;
  await stack.stop('metrics');

  const { result: run, record } = await measured(ctx, `replay (${how}): metrics' replay command over ${before.inbox} events`, async () => {
    const command = await stack.runCommand('metrics', 'replay', { profile, extra: env });
    fs.writeFileSync(path.join(stack.logDir, `metrics-replay-command-${how.replace(/\W+/g, '-')}.log`), command.output);
    if (command.code !== 0) throw new Error(`metrics replay exited with ${command.code}:\n${command.output.slice(-2_000)}`);
    const inbox = await inboxCount(ctx);
    let serviceMs = 0;
    let startedMs = 0;
    if (inbox.n < before.inbox) {
      // The command only rewound the group: the service rebuilds when it starts.
      const t0 = Date.now();
      await stack.start('metrics', 'metrics', {}, port);
      startedMs = Date.now() - t0;
      for (;;) {
        const now = await inboxCount(ctx);
        if (now.n >= before.inbox || Date.now() - t0 > ctx.pick(1_200_000, 300_000)) break;
        await sleep(500);
      }
      serviceMs = Date.now() - t0;
    }
    return { command, serviceMs, startedMs, byService: serviceMs > 0 };
  });
  // The command is a process of its own: its CPU belongs to the benchmark's, not to "other work".
  const commandShare = Math.round((100 * run.command.cpuSeconds) / Math.max(1, record.cpu.seconds));
  record.cpu.processes['metrics replay'] = commandShare;
  record.cpu.other = Math.max(0, record.cpu.other - commandShare);
  phases.push(record);
  if (!stack.running.has('metrics')) await stack.start('metrics', 'metrics', {}, port);
  await waitDrained(ctx, 60_000);
  const after = await projectionTotals(ctx);
  const seconds = (run.command.ms + run.serviceMs) / 1000;
  const rate = after.inbox / Math.max(0.001, seconds);
  // The command's own account of where its time went (its last log line).
  const told = /read and ordered (in PostgreSQL )?(\d+) ms, projected (\d+) ms, department table (\d+) ms/.exec(run.command.output);
  const commandPhases = told ? { readMs: Number(told[2]), projectMs: Number(told[3]), departmentTableMs: Number(told[4]) } : undefined;
  if (commandPhases) {
    ctx.log(
      `  the command: read and ordered the events${told?.[1] ? ' in PostgreSQL' : ' in memory'} in ${(commandPhases.readMs / 1000).toFixed(1)} s, projected them in ${(commandPhases.projectMs / 1000).toFixed(1)} s ` +
        `(${round(after.inbox / Math.max(0.001, commandPhases.projectMs / 1000), 0)} events/s), counted the department table in ${(commandPhases.departmentTableMs / 1000).toFixed(1)} s; peak RSS ${run.command.peakRssMb} MB`,
    );
  }
  const same = after.timeline === before.timeline && after.tickets === before.tickets && after.counted === before.counted;
  ctx.log(
    `  ${after.inbox}/${before.inbox} events re-projected in ${seconds.toFixed(1)} s (${run.byService ? `command ${(run.command.ms / 1000).toFixed(1)} s, then the service` : 'by the command'}; ` +
      `its CPU ${run.command.cpuSeconds.toFixed(1)} s): ${round(rate, 0)} events/s; projections ${same ? 'identical to' : 'DIFFER from'} the dropped ones ${JSON.stringify({ before, after })}`,
  );
  if (run.command.profile) {
    const summary = summariseProfile(run.command.profile);
    record.profiles = { [`metrics replay (${how})`]: summary };
    ctx.log(describeProfile(`metrics replay (${how})`, summary));
  }
  return {
    rate,
    seconds,
    same,
    before,
    after,
    commandPhases,
    commandMs: run.command.ms,
    commandCpuSeconds: run.command.cpuSeconds,
    commandPeakRssMb: run.command.peakRssMb,
    staged: Boolean(told?.[1]),
    serviceMs: run.serviceMs,
    byService: run.byService,
    otherLoad: record.cpu.other,
  };
}

export const replay: Scenario = {
  name: 'replay',
  title: 'replay: metrics rebuilds its projections from the topics',
  async run(ctx): Promise<ScenarioOutcome> {
    const phases: PhaseRecord[] = [];
    await ensureEvents(ctx, ctx.pick(60_000, 6_000));
    // As an operator's replay runs on this history (the service's REPLAY_IN_MEMORY_UP_TO decides:
    // in memory up to 60,000 events), then as one of a year's history runs (staged and ordered in
    // PostgreSQL), forced here by the threshold.
    const inMemory = await replayOnce(ctx, 'as configured', {}, phases, Boolean(ctx.options.profile));
    const staged = await replayOnce(ctx, 'staged in PostgreSQL', { REPLAY_IN_MEMORY_UP_TO: '0' }, phases, false);
    const describe = (r: ReplayRun) =>
      `${r.seconds.toFixed(1)} s from the command's start (${r.byService ? 'rebuilt by the restarted service' : 'rebuilt by the command itself'}; ` +
      `the command used ${r.commandCpuSeconds.toFixed(1)} s of CPU, peak RSS ${r.commandPeakRssMb} MB); rebuilt projections ${r.same ? 'identical' : 'DIFFERENT'}`;
    const figures: Figure[] = [
      {
        key: 'replay.rate',
        label: `replay: events re-projected per second (${inMemory.after.inbox} events, ${inMemory.staged ? 'staged' : 'in memory'})`,
        value: round(inMemory.rate, 0),
        unit: 'events/s',
        target: { op: '>=', value: 20_000 },
        otherLoad: inMemory.otherLoad,
        note: describe(inMemory),
      },
      {
        key: 'replay.stagedRate',
        label: `replay staged in PostgreSQL (how a history beyond REPLAY_IN_MEMORY_UP_TO is replayed), events/s`,
        value: round(staged.rate, 0),
        unit: 'events/s',
        target: { op: '>=', value: 20_000 },
        otherLoad: staged.otherLoad,
        note: `${describe(staged)}; ${staged.staged ? 'staged' : 'NOT staged (the command did not say so)'}`,
      },
      {
        key: 'replay.stagedRatio',
        label: `replay staged ÷ replay ${inMemory.staged ? 'staged as configured' : 'in memory'} (rate)`,
        value: round(staged.rate / Math.max(1, inMemory.rate), 2),
        unit: '×',
      },
      {
        key: 'replay.commandPeakRss',
        label: `replay command peak RSS: ${inMemory.staged ? 'as configured (staged)' : 'in memory'} / staged`,
        value: inMemory.commandPeakRssMb,
        unit: 'MB',
        note: `staged: ${staged.commandPeakRssMb} MB`,
      },
    ];
    return { figures, details: { inMemory, staged }, phases };
  },
};
