import { QueryRunner } from 'typeorm';

/**
 * DDL of the outbox and inbox tables, for each service's first migration to call with its
 * own schema. One definition, so every service's tables are the same.
 */
export async function createMessagingTables(queryRunner: QueryRunner, schema: string): Promise<void> {
  const s = quoteIdent(schema);
  await queryRunner.query(`
    CREATE TABLE ${s}.outbox_message (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      event_id uuid NOT NULL,
      event_type text NOT NULL,
      topic text NOT NULL,
      message_key text NOT NULL,
      message text NOT NULL,
      headers jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz
    )`);
  await queryRunner.query(`CREATE UNIQUE INDEX outbox_message_event_id_uq ON ${s}.outbox_message (event_id)`);
  // The relay only ever reads the unpublished tail; keep that index tiny.
  await queryRunner.query(
    `CREATE INDEX outbox_message_pending_idx ON ${s}.outbox_message (id) WHERE published_at IS NULL`,
  );
  await queryRunner.query(`
    CREATE TABLE ${s}.processed_event (
      consumer text NOT NULL,
      event_id uuid NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, event_id)
    )`);
}

export async function dropMessagingTables(queryRunner: QueryRunner, schema: string): Promise<void> {
  const s = quoteIdent(schema);
  await queryRunner.query(`DROP TABLE IF EXISTS ${s}.processed_event`);
  await queryRunner.query(`DROP TABLE IF EXISTS ${s}.outbox_message`);
}

export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe SQL identifier '${name}'`);
  return `"${name}"`;
}
