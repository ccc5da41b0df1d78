import { MigrationInterface, QueryRunner } from 'typeorm';

/** When each clock warns (预警), from supervision's sla-started: the inbox colours by it. */
export class WarningTimes1765200000000 implements MigrationInterface {
  name = 'WarningTimes1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE assignment.ticket_assignment ADD COLUMN sign_for_warning_at timestamptz, ADD COLUMN reply_warning_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE assignment.ticket_assignment DROP COLUMN sign_for_warning_at, DROP COLUMN reply_warning_at`);
  }
}
