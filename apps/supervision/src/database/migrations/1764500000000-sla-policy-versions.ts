import { MigrationInterface, QueryRunner } from 'typeorm';

export class SlaPolicyVersions1764500000000 implements MigrationInterface {
  name = 'SlaPolicyVersions1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE supervision.sla_policy_version (
        version int PRIMARY KEY,
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL,
        note text NOT NULL
      )`);
    await q.query(`INSERT INTO supervision.sla_policy_version VALUES (1, 'migration', now(), 'DOMAIN.md 默认时限')`);
    // Extensions granted on a clock, so its deadline can be recomputed from its start (replay).
    await q.query(`ALTER TABLE supervision.sla_clock ADD COLUMN extension_days int NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE supervision.sla_clock DROP COLUMN extension_days`);
    await q.query(`DROP TABLE supervision.sla_policy_version`);
  }
}
