import { MigrationInterface, QueryRunner } from 'typeorm';

/** The escalation steps belong to the policy too (DOMAIN.md defaults: 挂牌 5 working days after the deadline, 督办 at 3 repeats). */
export class EscalationSteps1764700000000 implements MigrationInterface {
  name = 'EscalationSteps1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE supervision.sla_policy_rule
        ADD COLUMN listing_after_working_days int NOT NULL DEFAULT 5 CHECK (listing_after_working_days > 0),
        ADD COLUMN repeats_for_supervision int NOT NULL DEFAULT 3 CHECK (repeats_for_supervision > 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE supervision.sla_policy_rule DROP COLUMN listing_after_working_days, DROP COLUMN repeats_for_supervision`);
  }
}
