import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateGatewaySchema1763900000000 implements MigrationInterface {
  name = 'CreateGatewaySchema1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE gateway.user_account (
        id uuid PRIMARY KEY,
        username text NOT NULL UNIQUE,
        display_name text NOT NULL,
        role text NOT NULL CHECK (role IN ('operator', 'dispatcher', 'handler', 'supervisor', 'leader', 'admin')),
        department_id uuid,
        region_code text,
        password_hash text NOT NULL,
        disabled boolean NOT NULL DEFAULT false,
        failed_logins int NOT NULL DEFAULT 0,
        locked_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (role <> 'handler' OR department_id IS NOT NULL)
      )`);
    await q.query(`
      CREATE TABLE gateway.refresh_token (
        token_hash text PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES gateway.user_account (id),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await q.query(`CREATE INDEX refresh_token_user_idx ON gateway.refresh_token (user_id)`);
    await q.query(`
      CREATE TABLE gateway.audit_entry (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        action text NOT NULL,
        actor_id text,
        actor_username text,
        target text,
        address text,
        detail jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await q.query(`CREATE INDEX audit_entry_at_idx ON gateway.audit_entry (at DESC)`);
    await q.query(`
      CREATE TABLE gateway.channel_key (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        channel text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        key_prefix text NOT NULL,
        rate_per_minute int NOT NULL CHECK (rate_per_minute > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE gateway.channel_key`);
    await q.query(`DROP TABLE gateway.audit_entry`);
    await q.query(`DROP TABLE gateway.refresh_token`);
    await q.query(`DROP TABLE gateway.user_account`);
  }
}
