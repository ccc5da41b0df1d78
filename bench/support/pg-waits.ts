/**
 * What the stack's PostgreSQL sessions are doing, sampled from pg_stat_activity every 100 ms
 * while a load runs: on CPU, waiting on a lock (and which kind), on WAL flush, or idle inside a
 * transaction (waiting for the service); and PostgreSQL's own processes (autovacuum, WAL writer,
 * checkpointer) when they are on CPU. The share of samples is where the database time goes.
 */
import { Client } from 'pg';
import { sleep } from './stats';

export interface WaitProfile {
  samples: number;
  /** Average sessions not idle, per application (service). */
  busySessions: Record<string, number>;
  /** Share of busy session-samples, per "application — state", most first. */
  waits: { application: string; wait: string; share: number; sessions: number }[];
  /** The statements seen waiting on a lock most often. */
  lockedStatements: { wait: string; statement: string; samples: number }[];
  /** The statements seen running on CPU most often: where the database's own time goes. */
  busyStatements: { application: string; statement: string; samples: number }[];
}

export class WaitSampler {
  private client: Client | null = null;
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private samples = 0;
  private readonly counts = new Map<string, number>();
  private readonly busy = new Map<string, number>();
  private readonly locked = new Map<string, number>();
  private readonly onCpu = new Map<string, number>();

  constructor(
    private readonly url: string,
    private readonly database: string,
  ) {}

  async start(): Promise<void> {
    this.client = new Client({ connectionString: this.url, application_name: 'hotline-bench-sampler' });
    await this.client.connect();
    this.running = true;
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (this.running && this.client) {
      try {
        const { rows } = await this.client.query<{
          app: string;
          state: string;
          wtype: string | null;
          wevent: string | null;
          locktype: string | null;
          query: string;
        }>(
          `SELECT a.application_name AS app, a.state, a.wait_event_type AS wtype, a.wait_event AS wevent,
                  (SELECT l.locktype FROM pg_locks l WHERE l.pid = a.pid AND NOT l.granted LIMIT 1) AS locktype,
                  left(regexp_replace(a.query, '\\s+', ' ', 'g'), 160) AS query
             FROM pg_stat_activity a
            WHERE a.datname = $1 AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'
              AND a.state <> 'idle' AND a.application_name <> 'hotline-bench-sampler'
           UNION ALL
           -- PostgreSQL's own processes when on CPU (no wait event): autovacuum of the run's
           -- database, and the server-wide WAL writer, checkpointer and background writer.
           SELECT a.backend_type, 'active', NULL, NULL, NULL, left(regexp_replace(a.query, '\\s+', ' ', 'g'), 160)
             FROM pg_stat_activity a
            WHERE a.backend_type <> 'client backend' AND a.wait_event IS NULL AND (a.datname = $1 OR a.datname IS NULL)`,
          [this.database],
        );
        this.samples += 1;
        for (const r of rows) {
          const app = (r.app || '?').replace(/^hotline-/, '');
          let wait: string;
          if (r.state === 'idle in transaction') wait = 'idle in transaction (waiting for the service)';
          else if (!r.wtype) wait = 'on CPU';
          else if (r.wtype === 'Lock') wait = `Lock: ${r.locktype ?? r.wevent}`;
          else wait = `${r.wtype}: ${r.wevent}`;
          const key = `${app}\u0000${wait}`;
          this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
          this.busy.set(app, (this.busy.get(app) ?? 0) + 1);
          if (r.wtype === 'Lock') {
            const lk = `${wait}\u0000${r.query}`;
            this.locked.set(lk, (this.locked.get(lk) ?? 0) + 1);
          }
          if (wait === 'on CPU') {
            const ck = `${app}\u0000${r.query}`;
            this.onCpu.set(ck, (this.onCpu.get(ck) ?? 0) + 1);
          }
        }
      } catch {
        // a sample lost is no matter
      }
      await sleep(100);
    }
  }

  async stop(): Promise<WaitProfile> {
    this.running = false;
    await this.loop;
    await this.client?.end().catch(() => undefined);
    this.client = null;
    const total = [...this.counts.values()].reduce((a, b) => a + b, 0) || 1;
    const waits = [...this.counts]
      .map(([key, n]) => {
        const [application, wait] = key.split('\u0000');
        return { application, wait, share: Math.round((1000 * n) / total) / 10, sessions: Math.round((100 * n) / Math.max(1, this.samples)) / 100 };
      })
      .sort((a, b) => b.share - a.share);
    const busySessions = Object.fromEntries([...this.busy].map(([app, n]) => [app, Math.round((100 * n) / Math.max(1, this.samples)) / 100]));
    const lockedStatements = mostSampled(this.locked, 6).map(([wait, statement, samples]) => ({ wait, statement, samples }));
    const busyStatements = mostSampled(this.onCpu, 8).map(([application, statement, samples]) => ({ application, statement, samples }));
    return { samples: this.samples, busySessions, waits: waits.slice(0, 14), lockedStatements, busyStatements };
  }
}

/** The `top` keys (`first\u0000statement`) sampled most often, split, with their counts. */
function mostSampled(counts: Map<string, number>, top: number): [string, string, number][] {
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, samples]) => {
      const [first, statement] = key.split('\u0000');
      return [first, statement, samples];
    });
}

export function describeWaits(profile: WaitProfile, top = 6): string {
  const lines = profile.waits.slice(0, top).map((w) => `    ${String(w.share).padStart(5)} %  ${w.application.padEnd(12)} ${w.wait}  (${w.sessions} sessions avg)`);
  const locks = profile.lockedStatements
    .slice(0, 2)
    .map((l) => `    waiting on ${l.wait} (${l.samples} samples): ${l.statement}…`);
  const busy = (profile.busyStatements ?? [])
    .slice(0, 3)
    .map((b) => `    on CPU in ${b.application} (${b.samples} samples): ${b.statement}…`);
  return [`  PostgreSQL sessions (${profile.samples} samples, busy sessions avg ${JSON.stringify(profile.busySessions)}):`, ...lines, ...locks, ...busy].join('\n');
}
