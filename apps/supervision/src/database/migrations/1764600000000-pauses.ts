import { MigrationInterface, QueryRunner } from 'typeorm';

export class Pauses1764600000000 implements MigrationInterface {
  name = 'Pauses1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE supervision.pause_request (
        id uuid PRIMARY KEY,
        ticket_id uuid NOT NULL,
        reason text NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        requested_at timestamptz NOT NULL,
        decided_by text,
        paused_at timestamptz,
        resumed_at timestamptz,
        remaining bigint
      )`);
    await q.query(`CREATE INDEX pause_request_ticket_idx ON supervision.pause_request (ticket_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE supervision.pause_request`);
  }
}
