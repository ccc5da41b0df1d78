import { MigrationInterface, QueryRunner } from 'typeorm';

/** The month's department table reads the timeline by event type and time. */
export class TimelineTypeIndex1765300000000 implements MigrationInterface {
  name = 'TimelineTypeIndex1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX timeline_entry_type_time_idx ON metrics.timeline_entry (type, occurred_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX metrics.timeline_entry_type_time_idx`);
  }
}
