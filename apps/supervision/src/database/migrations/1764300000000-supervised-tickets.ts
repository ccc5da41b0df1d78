import { MigrationInterface, QueryRunner } from 'typeorm';

export class SupervisedTickets1764300000000 implements MigrationInterface {
  name = 'SupervisedTickets1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE supervision.supervised_ticket (
        ticket_id uuid PRIMARY KEY,
        number text NOT NULL,
        demand_type text NOT NULL,
        urgency text NOT NULL,
        department_id uuid,
        region_code text NOT NULL,
        status text NOT NULL DEFAULT 'handling',
        resolved_on_call boolean NOT NULL DEFAULT false,
        reopen_count int NOT NULL DEFAULT 0,
        callback_attempts int NOT NULL DEFAULT 0,
        escalation_level int NOT NULL DEFAULT 0,
        extension_days_total int NOT NULL DEFAULT 0,
        repeat_count int NOT NULL DEFAULT 0,
        correlation_id uuid,
        last_event_id uuid
      )`);
    await q.query(`CREATE INDEX supervised_ticket_status_idx ON supervision.supervised_ticket (status, region_code)`);
    // Stopping a clock clears what is due on it; `stage` says what the next due instant means.
    await q.query(`
      ALTER TABLE supervision.sla_clock
        ADD COLUMN stopped_at timestamptz,
        ADD COLUMN stage text NOT NULL DEFAULT 'warning' CHECK (stage IN ('warning', 'deadline', 'listing', 'done'))`);
    await q.query(`
      CREATE TABLE supervision.extension_request (
        id uuid PRIMARY KEY,
        ticket_id uuid NOT NULL,
        department_id uuid NOT NULL,
        working_days int NOT NULL,
        reason text NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        requested_at timestamptz NOT NULL,
        decided_at timestamptz,
        decided_by text,
        comment text
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE supervision.extension_request`);
    await q.query(`ALTER TABLE supervision.sla_clock DROP COLUMN stage, DROP COLUMN stopped_at`);
    await q.query(`DROP TABLE supervision.supervised_ticket`);
  }
}
