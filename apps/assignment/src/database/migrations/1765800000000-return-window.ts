import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 退单时限 as supervision computed it on its calendar (overrides included), from the sign-for
 * clock's sla-started; null until it arrives, when the official calendar answers instead.
 */
export class ReturnWindow1765800000000 implements MigrationInterface {
  name = 'ReturnWindow1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE assignment.ticket_assignment ADD COLUMN return_by timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE assignment.ticket_assignment DROP COLUMN return_by`);
  }
}
