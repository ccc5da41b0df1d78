/** What every scenario gets, and what it gives back. */
import type { CpuShare, ResourceMonitor } from './proc';
import type { LoadGenerator } from './load';
import type { ProfileSummary } from './cpu-profile';
import type { Stack } from './stack';
import type { WaitProfile } from './pg-waits';

export interface Target {
  op: '>=' | '<=' | '==';
  value: number;
}

export interface Figure {
  /** Stable id, e.g. `intake.saturation`, for comparing runs. */
  key: string;
  label: string;
  value: number | null;
  unit: string;
  target?: Target;
  /** Percent of one core used by work outside the benchmark while this was measured. */
  otherLoad?: number;
  note?: string;
}

export interface PhaseRecord {
  label: string;
  cpu: CpuShare;
  waits?: WaitProfile;
  profiles?: Record<string, ProfileSummary>;
}

export interface ScenarioOutcome {
  figures: Figure[];
  details: Record<string, unknown>;
  phases: PhaseRecord[];
}

export interface BenchOptions {
  quick: boolean;
  profile: boolean;
  keep: boolean;
  /** HTTP connections of the saturation runs, and PostgreSQL clients of the raw run. */
  concurrency: number;
  partitions: number;
  historyTickets: number;
  regenerateHistory: boolean;
  /** Services from their TypeScript sources (`npm start`'s way) instead of compiled (the images' way). */
  fromSource: boolean;
}

/** Figures a later scenario reuses (ratios measured in the same run). */
export interface SharedFigures {
  pgCommitsPerSecond?: number;
  intakeSaturation?: number;
  /** Phone numbers already used by earlier load phases: each phase takes a fresh range. */
  phoneBase: number;
  pipelineLatency?: PipelineLatency;
}

export interface PipelineLatency {
  tickets: number;
  assignedMs: import('./stats').Distribution;
  clockStartedMs: import('./stats').Distribution;
  countedMs: import('./stats').Distribution;
  departmentsByRegion: Record<string, string>;
}

export interface BenchContext {
  stack: Stack;
  options: BenchOptions;
  monitor: ResourceMonitor;
  load: LoadGenerator;
  shared: SharedFigures;
  log: (message: string) => void;
  /** Largest V8 heap each service reported during the run (memory.ts HeapWatch). */
  heapPeaks?: Record<string, { heapTotalMb: number; heapUsedMb: number; externalMb: number; rssMb: number }>;
  /** Chooses the full or the quick value. */
  pick<T>(full: T, quick: T): T;
}

export interface Scenario {
  name: string;
  title: string;
  run(ctx: BenchContext): Promise<ScenarioOutcome>;
}
