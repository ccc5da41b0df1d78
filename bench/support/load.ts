/** The parent's side of the load generator: one forked worker process for the whole run. */
import { ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import type { LoadResult, LoadSpec } from './load-worker';

export type { LoadResult, LoadSpec, TicketMix } from './load-worker';

export class LoadGenerator {
  private child: ChildProcess | null = null;
  private next = 1;
  private readonly pending = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the worker process now (so its CPU and memory can be followed); returns its pid. */
  ensure(): number | undefined {
    return this.worker().pid;
  }

  private worker(): ChildProcess {
    if (this.child && this.child.exitCode === null) return this.child;
    const child = fork(path.join(__dirname, 'load-worker.ts'), [], {
      execArgv: ['-r', '@swc-node/register'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (message: { kind: string; id: number; result?: LoadResult; error?: string }) => {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.kind === 'done' && message.result) waiter.resolve(message.result);
      else waiter.reject(new Error(`load generator failed: ${message.error}`));
    });
    child.on('exit', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`load generator exited (${code})`));
      this.pending.clear();
    });
    this.child = child;
    return child;
  }

  run(spec: LoadSpec): Promise<LoadResult> {
    const id = this.next++;
    const child = this.worker();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.send({ kind: 'run', id, spec });
    });
  }

  stop(): void {
    this.child?.disconnect();
    this.child = null;
  }
}

/** Throughput and status summary of a load phase, for the log. */
export function describeLoad(result: LoadResult): string {
  const statuses = Object.entries(result.statuses)
    .map(([s, n]) => `${s}×${n}`)
    .join(' ');
  const errors = Object.entries(result.errors)
    .map(([e, n]) => `${e}×${n}`)
    .join(' ');
  return (
    `${result.sent} sent, ${result.ok} ok, ${achievedRate(result).toFixed(0)}/s answered in the measured window [${statuses}]` +
    `${result.behind ? `, ${result.behind} due but never sent (server behind)` : ''}${errors ? ` errors: ${errors}` : ''}`
  );
}

/** 2xx answers per second inside the measured window. */
export function achievedRate(result: LoadResult): number {
  return (result.completedInWindow * 1000) / result.measuredMs;
}
