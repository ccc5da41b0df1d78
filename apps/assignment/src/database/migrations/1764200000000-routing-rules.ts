import { MigrationInterface, QueryRunner } from 'typeorm';
import { DEFAULT_ROUTING_RULES, MUNICIPAL_MATTERS } from '../../routing-rules/default-rules';

const SEEDED_BY = 'system:migration';

/**
 * Routing rules as versioned data, the 基层减负 municipal-matter list, and department history.
 * Seeds the default rule set (reference data every installation needs, not demo data).
 */
export class RoutingRules1764200000000 implements MigrationInterface {
  name = 'RoutingRules1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE assignment.routing_rule (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        priority int NOT NULL CHECK (priority > 0),
        active boolean NOT NULL DEFAULT true,
        "match" jsonb NOT NULL DEFAULT '{}'::jsonb,
        target jsonb NOT NULL CHECK (target->>'mode' IN ('region-bureau', 'department')),
        co_handler_codes text[] NOT NULL DEFAULT '{}',
        confidence text NOT NULL CHECK (confidence IN ('sure', 'review')),
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL
      )`);
    // Two active rules never share a priority, so "first match" is always well defined.
    await q.query(`CREATE UNIQUE INDEX routing_rule_active_priority_key ON assignment.routing_rule (priority) WHERE active`);
    await q.query(`
      CREATE TABLE assignment.routing_rule_version (
        rule_id uuid NOT NULL REFERENCES assignment.routing_rule (id),
        version int NOT NULL,
        change text NOT NULL CHECK (change IN ('created', 'updated', 'retired')),
        snapshot jsonb NOT NULL,
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL,
        PRIMARY KEY (rule_id, version)
      )`);
    await q.query(`
      CREATE TABLE assignment.municipal_matter (
        category_prefix text PRIMARY KEY,
        name text NOT NULL,
        office_code text NOT NULL REFERENCES assignment.department (code)
      )`);
    await q.query(`
      CREATE TABLE assignment.department_version (
        department_id uuid NOT NULL REFERENCES assignment.department (id),
        version int NOT NULL,
        change text NOT NULL CHECK (change IN ('created', 'updated')),
        snapshot jsonb NOT NULL,
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL,
        PRIMARY KEY (department_id, version)
      )`);
    // The departments seeded so far get their first history row, so every version is on record.
    await q.query(`
      INSERT INTO assignment.department_version (department_id, version, change, snapshot, changed_by, changed_at)
      SELECT id, version, 'created',
             jsonb_build_object('code', code, 'name', name, 'kind', kind, 'regionCode', region_code, 'active', active),
             $1, now()
        FROM assignment.department`,
      [SEEDED_BY],
    );

    for (const rule of DEFAULT_ROUTING_RULES) {
      await q.query(
        `INSERT INTO assignment.routing_rule
           (id, name, priority, active, "match", target, co_handler_codes, confidence, version, updated_by)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::text[], $8, $9, $10)`,
        [
          rule.id,
          rule.name,
          rule.priority,
          rule.active,
          JSON.stringify(rule.match),
          JSON.stringify(rule.target),
          rule.coHandlerCodes,
          rule.confidence,
          rule.version,
          SEEDED_BY,
        ],
      );
      const snapshot = {
        name: rule.name,
        priority: rule.priority,
        active: rule.active,
        match: rule.match,
        target: rule.target,
        coHandlerCodes: rule.coHandlerCodes,
        confidence: rule.confidence,
      };
      await q.query(
        `INSERT INTO assignment.routing_rule_version (rule_id, version, change, snapshot, changed_by, changed_at)
         VALUES ($1, $2, 'created', $3::jsonb, $4, now())`,
        [rule.id, rule.version, JSON.stringify(snapshot), SEEDED_BY],
      );
    }
    for (const matter of MUNICIPAL_MATTERS) {
      await q.query(`INSERT INTO assignment.municipal_matter (category_prefix, name, office_code) VALUES ($1, $2, $3)`, [
        matter.categoryPrefix,
        matter.name,
        matter.officeCode,
      ]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE assignment.department_version`);
    await q.query(`DROP TABLE assignment.municipal_matter`);
    await q.query(`DROP TABLE assignment.routing_rule_version`);
    await q.query(`DROP TABLE assignment.routing_rule`);
  }
}
