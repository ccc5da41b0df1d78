import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which event of which ticket added to which counter: so every number on the dashboard can list
 * the tickets behind it, exactly (the contributions of a counter sum to its value).
 */
export class CounterContributions1765100000000 implements MigrationInterface {
  name = 'CounterContributions1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE metrics.counter_contribution (
        event_id uuid NOT NULL,
        ticket_id uuid NOT NULL,
        day date NOT NULL,
        dimension text NOT NULL,
        dimension_key text NOT NULL,
        measure text NOT NULL,
        value bigint NOT NULL,
        PRIMARY KEY (event_id, day, dimension, dimension_key, measure)
      )`);
    await q.query(
      `CREATE INDEX counter_contribution_counter ON metrics.counter_contribution (dimension, dimension_key, measure, day)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE metrics.counter_contribution`);
  }
}
