import { createMessagingTables, dropMessagingTables } from '@hotline/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateMetricsSchema1763800000000 implements MigrationInterface {
  name = 'CreateMetricsSchema1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE metrics.timeline_entry (
        event_id uuid PRIMARY KEY,
        ticket_id uuid NOT NULL,
        type text NOT NULL,
        version int NOT NULL,
        occurred_at timestamptz NOT NULL,
        producer text NOT NULL,
        actor jsonb NOT NULL,
        correlation_id uuid NOT NULL,
        causation_id uuid,
        payload jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX timeline_entry_ticket_idx ON metrics.timeline_entry (ticket_id, occurred_at, event_id)`);
    await q.query(`
      CREATE TABLE metrics.daily_counter (
        day date NOT NULL,
        dimension text NOT NULL,
        dimension_key text NOT NULL,
        measure text NOT NULL,
        value bigint NOT NULL,
        PRIMARY KEY (day, dimension, dimension_key, measure)
      )`);
    await q.query(`CREATE TABLE metrics.ticket_fact (ticket_id uuid PRIMARY KEY, first_department_id uuid)`);
    await createMessagingTables(q, 'metrics');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropMessagingTables(q, 'metrics');
    await q.query(`DROP TABLE metrics.ticket_fact`);
    await q.query(`DROP TABLE metrics.daily_counter`);
    await q.query(`DROP TABLE metrics.timeline_entry`);
  }
}
