import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 政策咨询问答库 — the policy answers operators search during a call, with every version kept,
 * and the document frequency of each search term. The GIN index is partial (active entries
 * only): retired entries are never searched.
 */
export class KnowledgeBase1764000000000 implements MigrationInterface {
  name = 'KnowledgeBase1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE intake.knowledge_entry (
        id uuid PRIMARY KEY,
        version int NOT NULL CHECK (version >= 1),
        question text NOT NULL,
        answer text NOT NULL,
        domain text NOT NULL,
        keywords text[] NOT NULL DEFAULT '{}',
        valid_from date NOT NULL,
        valid_to date,
        source text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        search_terms text[] NOT NULL,
        term_weights jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL,
        CONSTRAINT knowledge_entry_validity CHECK (valid_to IS NULL OR valid_to >= valid_from)
      )`);
    // The ranking reads term_weights for every candidate: keep it compressed in the row rather
    // than in the TOAST table (the long answer goes there first), saving a lookup per candidate.
    await q.query(`ALTER TABLE intake.knowledge_entry ALTER COLUMN term_weights SET STORAGE MAIN`);
    await q.query(
      `CREATE INDEX knowledge_entry_search_terms_idx ON intake.knowledge_entry USING gin (search_terms) WHERE active`,
    );
    await q.query(`CREATE INDEX knowledge_entry_updated_at_idx ON intake.knowledge_entry (updated_at DESC)`);
    await q.query(`
      CREATE TABLE intake.knowledge_entry_version (
        entry_id uuid NOT NULL REFERENCES intake.knowledge_entry (id),
        version int NOT NULL,
        change text NOT NULL CHECK (change IN ('created', 'updated', 'retired')),
        snapshot jsonb NOT NULL,
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (entry_id, version)
      )`);
    // Document frequency of each term among the active entries of each domain; '' counts the entries.
    await q.query(`
      CREATE TABLE intake.knowledge_term (
        term text NOT NULL,
        domain text NOT NULL,
        entries int NOT NULL,
        PRIMARY KEY (term, domain)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE intake.knowledge_term`);
    await q.query(`DROP TABLE intake.knowledge_entry_version`);
    await q.query(`DROP TABLE intake.knowledge_entry`);
  }
}
