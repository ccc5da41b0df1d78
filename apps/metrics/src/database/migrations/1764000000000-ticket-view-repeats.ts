import { MigrationInterface, QueryRunner } from 'typeorm';

export class TicketViewRepeats1764000000000 implements MigrationInterface {
  name = 'TicketViewRepeats1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE metrics.ticket_view ADD COLUMN resolved_at timestamptz`);
    await q.query(`ALTER TABLE metrics.ticket_view ADD COLUMN repeat_count int NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE metrics.ticket_view ADD COLUMN status_at timestamptz`);
    await q.query(`ALTER TABLE metrics.ticket_view ADD COLUMN closed_at timestamptz`);
    await q.query(`
      ALTER TABLE metrics.ticket_view
        ADD COLUMN warning boolean NOT NULL DEFAULT false,
        ADD COLUMN overdue boolean NOT NULL DEFAULT false,
        ADD COLUMN escalation_level int NOT NULL DEFAULT 0,
        ADD COLUMN callback_count int NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE metrics.ticket_view DROP COLUMN warning, DROP COLUMN overdue, DROP COLUMN escalation_level, DROP COLUMN callback_count`,
    );
    await q.query(`ALTER TABLE metrics.ticket_view DROP COLUMN closed_at`);
    await q.query(`ALTER TABLE metrics.ticket_view DROP COLUMN status_at`);
    await q.query(`ALTER TABLE metrics.ticket_view DROP COLUMN repeat_count`);
    await q.query(`ALTER TABLE metrics.ticket_view DROP COLUMN resolved_at`);
  }
}
