import { createMessagingTables, dropMessagingTables } from '@hotline/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { defaultSlaPolicy } from '../../sla-policies/sla-policy';

export class CreateSupervisionSchema1763800000000 implements MigrationInterface {
  name = 'CreateSupervisionSchema1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE supervision.sla_policy_rule (
        version int NOT NULL,
        demand_type text NOT NULL,
        urgency text NOT NULL,
        sign_for_amount int NOT NULL CHECK (sign_for_amount > 0),
        sign_for_unit text NOT NULL,
        reply_amount int NOT NULL CHECK (reply_amount > 0),
        reply_unit text NOT NULL,
        warning_fraction numeric NOT NULL CHECK (warning_fraction > 0 AND warning_fraction < 1),
        PRIMARY KEY (version, demand_type, urgency)
      )`);
    for (const r of defaultSlaPolicy()) {
      await q.query(`INSERT INTO supervision.sla_policy_rule VALUES (1, $1, $2, $3, $4, $5, $6, $7)`, [
        r.demandType,
        r.urgency,
        r.signFor.amount,
        r.signFor.unit,
        r.reply.amount,
        r.reply.unit,
        r.warningFraction,
      ]);
    }
    await q.query(`
      CREATE TABLE supervision.sla_clock (
        id uuid PRIMARY KEY,
        ticket_id uuid NOT NULL,
        kind text NOT NULL,
        department_id uuid NOT NULL,
        status text NOT NULL,
        started_at timestamptz NOT NULL,
        warning_at timestamptz NOT NULL,
        deadline timestamptz NOT NULL,
        limit_amount int NOT NULL,
        limit_unit text NOT NULL,
        policy_version int NOT NULL,
        calendar_confirmed boolean NOT NULL,
        next_due_at timestamptz,
        started_by_event_id uuid NOT NULL UNIQUE
      )`);
    await q.query(`CREATE INDEX sla_clock_ticket_idx ON supervision.sla_clock (ticket_id)`);
    await q.query(
      `CREATE INDEX sla_clock_next_due_idx ON supervision.sla_clock (next_due_at) WHERE next_due_at IS NOT NULL`,
    );
    await createMessagingTables(q, 'supervision');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropMessagingTables(q, 'supervision');
    await q.query(`DROP TABLE supervision.sla_clock`);
    await q.query(`DROP TABLE supervision.sla_policy_rule`);
  }
}
