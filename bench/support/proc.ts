/**
 * What the operating system says about processes: resident memory (VmRSS, and VmHWM, the peak
 * the kernel recorded) and CPU time, from /proc. Linux only, like the machine the targets are for.
 */
import fs from 'node:fs';

const CLOCK_TICKS = 100; // USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK)

export interface Rss {
  rss: number;
  peak: number;
}

export function rssOf(pid: number): Rss | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command may contain spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** Machine-wide CPU seconds: busy and total, over all cores. */
export function machineCpu(): { busy: number; total: number; cores: number } {
  const lines = fs.readFileSync('/proc/stat', 'utf8').split('\n');
  const values = lines[0].trim().split(/\s+/).slice(1).map(Number);
  const total = values.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = values[3] + (values[4] ?? 0);
  const cores = lines.filter((l) => /^cpu\d+ /.test(l)).length;
  return { busy: (total - idle) / CLOCK_TICKS, total: total / CLOCK_TICKS, cores };
}

/**
 * CPU seconds used by every process of a command name (all postgres backends, the Kafka JVM),
 * including processes that have exited since: each process's time is remembered as last seen,
 * so a backend that closes between two readings still counts (to the last sample's accuracy).
 */
export class CommandCpu {
  private readonly lastSeen = new Map<number, { command: string; seconds: number }>();

  sample(): void {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const command = fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
        if (command !== 'postgres' && command !== 'java') continue;
        const seconds = cpuSecondsOf(Number(entry));
        if (seconds !== null) this.lastSeen.set(Number(entry), { command, seconds });
      } catch {
        // gone meanwhile
      }
    }
  }

  total(command: string): number {
    let sum = 0;
    for (const p of this.lastSeen.values()) if (p.command === command) sum += p.seconds;
    return sum;
  }
}

export function loadAverage(): number[] {
  return fs.readFileSync('/proc/loadavg', 'utf8').trim().split(/\s+/).slice(0, 3).map(Number);
}

interface CpuSnapshot {
  at: number;
  machine: { busy: number; total: number; cores: number };
  processes: Map<string, number>;
  postgres: number;
  java: number;
  bench: number;
}

export interface CpuShare {
  seconds: number;
  /** Percent of one core, per tracked process. */
  processes: Record<string, number>;
  postgres: number;
  kafka: number;
  bench: number;
  /** Everything else on the machine (other work running beside the benchmark). */
  other: number;
  machineBusy: number;
  cores: number;
  loadAverage: number[];
}

/**
 * Milliseconds of CPU one operation cost each part (a tracked process's name, `postgres`,
 * `kafka`), from a phase's CPU shares and the rate it achieved. Unlike a rate or a latency, this
 * hardly moves with what else the host is doing (it still moves with the CPU's speed): what a
 * change saves shows through runs whose rates scatter. The shares cover the phase's warm-up too.
 */
export function cpuMsPerOperation(cpu: CpuShare, opsPerSecond: number, parts: string[]): { total: number; byPart: Record<string, number> } {
  const byPart: Record<string, number> = {};
  let total = 0;
  for (const part of parts) {
    const share = part === 'postgres' ? cpu.postgres : part === 'kafka' ? cpu.kafka : (cpu.processes[part] ?? 0);
    // A share is a percent of one core: share / 100 CPU-seconds a second, over opsPerSecond operations.
    const ms = opsPerSecond > 0 ? (share * 10) / opsPerSecond : Number.NaN;
    byPart[part] = Math.round(ms * 1000) / 1000;
    total += ms;
  }
  return { total: Math.round(total * 1000) / 1000, byPart };
}

/** `gateway 0.61, metrics 0.72` */
export function describeCpuMs(byPart: Record<string, number>): string {
  return Object.entries(byPart)
    .map(([part, ms]) => `${part} ${ms.toFixed(2)}`)
    .join(', ');
}

/**
 * Follows the stack's processes: samples their RSS every `intervalMs` (the peak per process and
 * per phase), and measures CPU shares between two instants.
 */
export class ResourceMonitor {
  private readonly tracked = new Map<string, number>();
  private readonly peaks = new Map<string, { rss: number; phase: string }>();
  private readonly phasePeaks = new Map<string, Map<string, number>>();
  private phase = 'start-up';
  private timer: NodeJS.Timeout | null = null;
  private readonly commands = new CommandCpu();

  start(intervalMs = 500): void {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sample();
  }

  track(name: string, pid: number | undefined): void {
    if (pid) this.tracked.set(name, pid);
  }

  untrack(name: string): void {
    this.sample();
    this.tracked.delete(name);
  }

  setPhase(phase: string): void {
    this.sample();
    this.phase = phase;
  }

  private sample(): void {
    this.commands.sample();
    for (const [name, pid] of this.tracked) {
      const rss = rssOf(pid);
      if (!rss) continue;
      // VmHWM covers spikes between two samples.
      const value = Math.max(rss.rss, 0);
      const peak = this.peaks.get(name);
      if (!peak || value > peak.rss) this.peaks.set(name, { rss: value, phase: this.phase });
      const byPhase = this.phasePeaks.get(this.phase) ?? new Map<string, number>();
      byPhase.set(name, Math.max(byPhase.get(name) ?? 0, value));
      this.phasePeaks.set(this.phase, byPhase);
    }
  }

  /** Peak sampled RSS per process, the phase it happened in, and the kernel's high-water mark. */
  peakRss(): Record<string, { rss: number; phase: string; kernelPeak: number | null }> {
    this.sample();
    const out: Record<string, { rss: number; phase: string; kernelPeak: number | null }> = {};
    for (const [name, peak] of this.peaks) {
      const pid = this.tracked.get(name);
      out[name] = { ...peak, kernelPeak: pid ? (rssOf(pid)?.peak ?? null) : null };
    }
    return out;
  }

  phasePeakRss(): Record<string, Record<string, number>> {
    return Object.fromEntries([...this.phasePeaks].map(([phase, m]) => [phase, Object.fromEntries(m)]));
  }

  cpuSnapshot(): CpuSnapshot {
    const processes = new Map<string, number>();
    for (const [name, pid] of this.tracked) processes.set(name, cpuSecondsOf(pid) ?? 0);
    const usage = process.cpuUsage();
    this.commands.sample();
    return {
      at: Date.now(),
      machine: machineCpu(),
      processes,
      postgres: this.commands.total('postgres'),
      java: this.commands.total('java'),
      bench: (usage.user + usage.system) / 1e6,
    };
  }

  /** CPU used between two snapshots, in percent of one core. `extra` adds e.g. the load generator's seconds. */
  cpuShare(from: CpuSnapshot, to: CpuSnapshot = this.cpuSnapshot(), extra: Record<string, number> = {}): CpuShare {
    const seconds = (to.at - from.at) / 1000;
    const pct = (s: number) => Math.round((100 * s) / seconds);
    const processes: Record<string, number> = {};
    let ours = 0;
    for (const [name, end] of to.processes) {
      const used = end - (from.processes.get(name) ?? end);
      processes[name] = pct(used);
      ours += used;
    }
    for (const [name, used] of Object.entries(extra)) {
      processes[name] = pct(used);
      ours += used;
    }
    const postgres = Math.max(0, to.postgres - from.postgres);
    const java = Math.max(0, to.java - from.java);
    const bench = to.bench - from.bench;
    const busy = to.machine.busy - from.machine.busy;
    return {
      seconds: Math.round(seconds),
      processes,
      postgres: pct(postgres),
      kafka: pct(java),
      bench: pct(bench),
      other: Math.max(0, pct(busy - ours - postgres - java - bench)),
      machineBusy: pct(busy),
      cores: to.machine.cores,
      loadAverage: loadAverage(),
    };
  }
}

export function describeCpu(share: CpuShare): string {
  const parts = Object.entries(share.processes)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}%`);
  return (
    `CPU over ${share.seconds}s (% of one core, ${share.cores} cores): ${parts.join(', ')}, postgres ${share.postgres}%, ` +
    `kafka ${share.kafka}%, bench ${share.bench}%, other work ${share.other}% — machine ${share.machineBusy}% busy`
  );
}
