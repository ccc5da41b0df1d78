import { MigrationInterface, QueryRunner } from 'typeorm';

/** Repeats of tickets not assigned yet, applied when their assignment is consumed. */
export class EarlyRepeats1765400000000 implements MigrationInterface {
  name = 'EarlyRepeats1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE supervision.early_repeat (ticket_id uuid PRIMARY KEY, repeat_count int NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE supervision.early_repeat`);
  }
}
