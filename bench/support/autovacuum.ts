/**
 * Autovacuum, stood in for when the server has it off. This machine's PostgreSQL runs with
 * `autovacuum = off` (its CI configuration, conf.d/90-ci.conf), which no production server does:
 * without it the outbox, inbox and projection tables keep every dead row and their statistics go
 * stale through a run, and figures drift with the run's length (PostgreSQL's CPU grew from ≈ 50 %
 * to ≈ 70 % of a core over one pipeline run while the load fell). The benchmark does not change the
 * shared server's settings; it does, on its own database, what the launcher would with its default
 * thresholds: every 10 s, VACUUM (ANALYZE) each table with more than 50 + 20 % dead rows, ANALYZE
 * each with more than 50 + 10 % rows changed since the last analysis.
 */
import { Client } from 'pg';

export class AutovacuumStandIn {
  private running = true;
  private loop: Promise<void> = Promise.resolve();
  /** Tables vacuumed and analysed, for the run's record. */
  readonly done = { vacuums: 0, analyses: 0 };

  private constructor(private readonly client: Client) {}

  /** Starts when the server's autovacuum is off; null when it is on (nothing to stand in for). */
  static async startIfOff(url: string, log: (m: string) => void): Promise<AutovacuumStandIn | null> {
    const client = new Client({ connectionString: url, application_name: 'hotline-bench-autovacuum' });
    await client.connect();
    const { rows } = await client.query<{ autovacuum: string }>('SHOW autovacuum');
    if (rows[0].autovacuum === 'on') {
      await client.end();
      return null;
    }
    log('  the server runs with autovacuum off: the benchmark vacuums and analyses its own database as autovacuum would (bench/support/autovacuum.ts)');
    const standIn = new AutovacuumStandIn(client);
    standIn.loop = standIn.run();
    return standIn;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const { rows } = await this.client.query<{ name: string; vacuum: boolean }>(
          `SELECT format('%I.%I', schemaname, relname) AS name, n_dead_tup > 50 + 0.2 * n_live_tup AS vacuum
             FROM pg_stat_user_tables
            WHERE n_dead_tup > 50 + 0.2 * n_live_tup OR n_mod_since_analyze > 50 + 0.1 * n_live_tup`,
        );
        for (const t of rows) {
          if (!this.running) break;
          await this.client.query(t.vacuum ? `VACUUM (ANALYZE) ${t.name}` : `ANALYZE ${t.name}`);
          if (t.vacuum) this.done.vacuums += 1;
          else this.done.analyses += 1;
        }
      } catch {
        // a round lost is no matter: the next one sees the same tables
      }
      for (let i = 0; i < 20 && this.running; i++) await new Promise((r) => setTimeout(r, 500));
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await this.client.end().catch(() => undefined);
  }
}
