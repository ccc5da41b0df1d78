/**
 * One measured stretch of a scenario: the resource monitor's phase, CPU shares over it, what
 * PostgreSQL's sessions were doing, and — with --profile — CPU profiles of the services named.
 */
import { summariseProfile, describeProfile } from './cpu-profile';
import type { BenchContext, PhaseRecord } from './context';
import { describeCpu } from './proc';
import { describeWaits, WaitSampler } from './pg-waits';

export interface PhaseOptions {
  /** Services to profile when the run has --profile. */
  profile?: string[];
  /** Sample pg_stat_activity (default true). */
  waits?: boolean;
  /** CPU seconds used meanwhile by a process the monitor does not follow (the load generator). */
  extraCpu?: () => Record<string, number>;
}

export async function measured<T>(
  ctx: BenchContext,
  label: string,
  work: () => Promise<T>,
  options: PhaseOptions = {},
): Promise<{ result: T; record: PhaseRecord }> {
  ctx.monitor.setPhase(label);
  const sampler = options.waits === false ? null : new WaitSampler(ctx.stack.url, ctx.stack.database);
  await sampler?.start();
  const before = ctx.monitor.cpuSnapshot();
  let result: T;
  let files: Record<string, string> = {};
  if (ctx.options.profile && options.profile?.length) {
    const profiled = await ctx.stack.profiled(options.profile, work);
    result = profiled.result;
    files = profiled.files;
  } else {
    result = await work();
  }
  const cpu = ctx.monitor.cpuShare(before, undefined, options.extraCpu?.() ?? {});
  const waits = sampler ? await sampler.stop() : undefined;
  const record: PhaseRecord = { label, cpu, waits };
  ctx.log(`  [${label}] ${describeCpu(cpu)}`);
  if (waits && waits.samples) ctx.log(describeWaits(waits));
  if (Object.keys(files).length) {
    record.profiles = {};
    for (const [key, file] of Object.entries(files)) {
      try {
        const summary = summariseProfile(file);
        record.profiles[key] = summary;
        ctx.log(describeProfile(key, summary));
      } catch (err) {
        ctx.log(`  could not read the profile of ${key}: ${(err as Error).message}`);
      }
    }
  }
  return { result, record };
}

/** Percent of one core used by other work on the machine during a phase. */
export function otherLoad(record: PhaseRecord): number {
  return record.cpu.other;
}
