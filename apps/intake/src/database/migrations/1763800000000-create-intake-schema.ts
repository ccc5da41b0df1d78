import { createMessagingTables, dropMessagingTables } from '@hotline/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateIntakeSchema1763800000000 implements MigrationInterface {
  name = 'CreateIntakeSchema1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE intake.ticket (
        id uuid PRIMARY KEY,
        number text NOT NULL UNIQUE,
        channel text NOT NULL,
        demand_type text NOT NULL,
        domain text NOT NULL,
        category_code text,
        urgency text NOT NULL,
        region_code text NOT NULL,
        title text NOT NULL,
        content text NOT NULL,
        caller_name text NOT NULL,
        caller_phone text NOT NULL,
        caller_phone_hash text NOT NULL,
        employer_name text,
        people_affected int,
        address text,
        received_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ticket_caller_phone_hash_idx ON intake.ticket (caller_phone_hash, received_at DESC)`);
    await q.query(`CREATE INDEX ticket_received_at_idx ON intake.ticket (received_at DESC)`);
    await q.query(`CREATE TABLE intake.ticket_number_sequence (day text PRIMARY KEY, last_value int NOT NULL)`);
    await createMessagingTables(q, 'intake');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropMessagingTables(q, 'intake');
    await q.query(`DROP TABLE intake.ticket_number_sequence`);
    await q.query(`DROP TABLE intake.ticket`);
  }
}
