import { MigrationInterface, QueryRunner } from 'typeorm';
import { flattenCategories } from '../../categories/category-tree';

/**
 * The full ticket of DOMAIN.md (attachments, desired contact time, who recorded it, what
 * happens next), the category tree, repeat demands (并单), supplements and refused demands.
 */
export class IntakeFullTicket1764100000000 implements MigrationInterface {
  name = 'IntakeFullTicket1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE intake.category (
        code text PRIMARY KEY,
        parent_code text REFERENCES intake.category (code),
        level int NOT NULL CHECK (level BETWEEN 1 AND 3),
        name text NOT NULL,
        domain text NOT NULL,
        active boolean NOT NULL DEFAULT true
      )`);
    for (const c of flattenCategories()) {
      await q.query(`INSERT INTO intake.category (code, parent_code, level, name, domain) VALUES ($1, $2, $3, $4, $5)`, [
        c.code,
        c.parentCode,
        c.level,
        c.name,
        c.domain,
      ]);
    }
    await q.query(`
      ALTER TABLE intake.ticket
        ADD COLUMN attachments jsonb NOT NULL DEFAULT '[]'::jsonb,
        ADD COLUMN desired_contact_time text,
        ADD COLUMN disposition text NOT NULL DEFAULT 'dispatch',
        ADD COLUMN answer text,
        ADD COLUMN knowledge_id uuid,
        ADD COLUMN resolved_at timestamptz,
        ADD COLUMN repeat_count int NOT NULL DEFAULT 0,
        ADD COLUMN employer_key text,
        ADD COLUMN repeat_override_reason text,
        ADD COLUMN received_event_id uuid,
        ADD COLUMN created_by text,
        ADD COLUMN created_by_username text`);
    await q.query(`CREATE INDEX ticket_employer_idx ON intake.ticket (employer_key, domain, received_at DESC) WHERE employer_key IS NOT NULL`);
    await q.query(`CREATE INDEX ticket_created_by_idx ON intake.ticket (created_by, received_at DESC)`);
    await q.query(`
      CREATE TABLE intake.repeat_demand (
        id uuid PRIMARY KEY,
        original_ticket_id uuid NOT NULL REFERENCES intake.ticket (id),
        matched_on text NOT NULL,
        channel text NOT NULL,
        content text NOT NULL,
        caller_name text NOT NULL,
        caller_phone_cipher text NOT NULL,
        caller_phone_hash text NOT NULL,
        received_at timestamptz NOT NULL,
        created_by text
      )`);
    await q.query(`CREATE INDEX repeat_demand_original_idx ON intake.repeat_demand (original_ticket_id, received_at)`);
    await q.query(`
      CREATE TABLE intake.supplement (
        id uuid PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES intake.ticket (id),
        content text NOT NULL,
        attachments jsonb NOT NULL DEFAULT '[]'::jsonb,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE intake.refusal (
        id uuid PRIMARY KEY,
        kind text NOT NULL,
        region_code text,
        content text NOT NULL,
        caller_phone_hash text,
        referral text NOT NULL,
        created_by text NOT NULL,
        created_by_username text NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE intake.refusal`);
    await q.query(`DROP TABLE intake.supplement`);
    await q.query(`DROP TABLE intake.repeat_demand`);
    await q.query(`
      ALTER TABLE intake.ticket
        DROP COLUMN attachments, DROP COLUMN desired_contact_time, DROP COLUMN disposition, DROP COLUMN answer,
        DROP COLUMN knowledge_id, DROP COLUMN resolved_at, DROP COLUMN repeat_count, DROP COLUMN employer_key,
        DROP COLUMN repeat_override_reason, DROP COLUMN received_event_id, DROP COLUMN created_by,
        DROP COLUMN created_by_username`);
    await q.query(`DROP TABLE intake.category`);
  }
}
