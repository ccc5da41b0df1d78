import { MigrationInterface, QueryRunner } from 'typeorm';

/** When supervision closed the ticket: repeats are matched against open and recently closed tickets. */
export class TicketClosure1764500000000 implements MigrationInterface {
  name = 'TicketClosure1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE intake.ticket ADD COLUMN closed_at timestamptz`);
    await q.query(`CREATE INDEX ticket_open_caller_idx ON intake.ticket (caller_phone_hash) WHERE closed_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX intake.ticket_open_caller_idx`);
    await q.query(`ALTER TABLE intake.ticket DROP COLUMN closed_at`);
  }
}
