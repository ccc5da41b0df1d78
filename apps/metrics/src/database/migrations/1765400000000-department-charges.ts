import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Steps charged to "the department that held the ticket then" (closed, call-back, escalation,
 * repeat). Kept per event so a charge made before the ticket's assignment was projected can be
 * moved when it arrives. Existing charges are carried over from the counters' contributions.
 */
export class DepartmentCharges1765400000000 implements MigrationInterface {
  name = 'DepartmentCharges1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE metrics.department_charge (
        event_id uuid PRIMARY KEY,
        ticket_id uuid NOT NULL,
        at timestamptz NOT NULL,
        day date NOT NULL,
        measure text NOT NULL,
        department_id text
      )`);
    await q.query(`CREATE INDEX department_charge_ticket_at ON metrics.department_charge (ticket_id, at)`);
    await q.query(`
      INSERT INTO metrics.department_charge (event_id, ticket_id, at, day, measure, department_id)
      SELECT e.event_id, e.ticket_id, e.occurred_at,
             ((CASE e.type WHEN 'ticket.repeat-linked' THEN (e.payload->>'receivedAt')::timestamptz
                           WHEN 'ticket.closed' THEN (e.payload->>'closedAt')::timestamptz
                           ELSE e.occurred_at END) AT TIME ZONE 'Asia/Shanghai')::date,
             CASE e.type WHEN 'ticket.repeat-linked' THEN 'repeats'
                         WHEN 'ticket.closed' THEN 'closed'
                         WHEN 'ticket.escalated' THEN 'escalated-level-' || (e.payload->>'level')
                         ELSE 'callback-' || (e.payload->>'satisfaction') END,
             (SELECT c.dimension_key FROM metrics.counter_contribution c
               WHERE c.event_id = e.event_id AND c.dimension = 'department' LIMIT 1)
        FROM metrics.timeline_entry e
       WHERE e.type IN ('ticket.repeat-linked', 'ticket.closed', 'ticket.escalated', 'ticket.callback-recorded')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE metrics.department_charge`);
  }
}
