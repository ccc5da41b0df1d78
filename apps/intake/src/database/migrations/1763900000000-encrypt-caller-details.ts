import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Callers' phone and ID numbers are stored encrypted. Rows written before this migration hold
 * the phone in clear; the PII key rotation at start-up encrypts them (it treats any value that
 * is not a cipher text as legacy clear text).
 */
export class EncryptCallerDetails1763900000000 implements MigrationInterface {
  name = 'EncryptCallerDetails1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE intake.ticket RENAME COLUMN caller_phone TO caller_phone_cipher`);
    await q.query(`ALTER TABLE intake.ticket ADD COLUMN caller_id_number_cipher text`);
    await q.query(`
      CREATE TABLE intake.caller_reveal (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES intake.ticket (id),
        actor_id text NOT NULL,
        actor_username text NOT NULL,
        actor_role text NOT NULL,
        reason text NOT NULL,
        address text,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX caller_reveal_ticket_idx ON intake.caller_reveal (ticket_id, at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE intake.caller_reveal`);
    await q.query(`ALTER TABLE intake.ticket DROP COLUMN caller_id_number_cipher`);
    await q.query(`ALTER TABLE intake.ticket RENAME COLUMN caller_phone_cipher TO caller_phone`);
  }
}
