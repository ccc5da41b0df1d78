import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hotspots (热点): every demand as a signal (region, category, employer, day) — a projection,
 * rebuilt by a replay — and the alerts raised from them, which are a record kept across
 * replays so an alert is never raised twice.
 */
export class Hotspots1765000000000 implements MigrationInterface {
  name = 'Hotspots1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE metrics.demand_signal (
        event_id uuid PRIMARY KEY,
        ticket_id uuid NOT NULL,
        day date NOT NULL,
        region_code text NOT NULL,
        domain text NOT NULL,
        category_code text,
        employer_key text,
        employer_name text,
        received_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX demand_signal_region_category ON metrics.demand_signal (region_code, category_code, day)`);
    await q.query(
      `CREATE INDEX demand_signal_employer ON metrics.demand_signal (employer_key, day) WHERE employer_key IS NOT NULL`,
    );
    await q.query(`CREATE INDEX demand_signal_ticket ON metrics.demand_signal (ticket_id)`);
    await q.query(`
      CREATE TABLE metrics.hotspot (
        id uuid PRIMARY KEY,
        kind text NOT NULL,
        hotspot_key text NOT NULL,
        day date NOT NULL,
        region_code text,
        category_code text,
        employer_key text,
        employer_name text,
        count int NOT NULL,
        baseline_daily_average numeric NOT NULL,
        baseline_days int NOT NULL,
        detected_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        UNIQUE (kind, hotspot_key, day)
      )`);
    await q.query(`CREATE INDEX hotspot_day ON metrics.hotspot (day DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE metrics.hotspot`);
    await q.query(`DROP TABLE metrics.demand_signal`);
  }
}
