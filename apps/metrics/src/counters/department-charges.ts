import { EntityManager } from 'typeorm';
import type { DepartmentCharge } from '../projection/counter-rules';
import { CounterIncrement, incrementCounters } from './counter-increments';

/**
 * The department holding a ticket at an instant: its latest assignment or reassignment up to
 * then, as the timeline knows it (the department table reads it the same way).
 * `$ticket` and `$at` are SQL expressions naming the ticket and the instant.
 */
function holderAt(ticket: string, at: string): string {
  return `(SELECT a.payload->>'departmentId' FROM metrics.timeline_entry a
            WHERE a.ticket_id = ${ticket} AND a.type IN ('ticket.assigned', 'ticket.reassigned') AND a.occurred_at <= ${at}
            ORDER BY a.occurred_at DESC LIMIT 1)`;
}

/**
 * Charges a step (closed, call-back, escalation, repeat) to the department that held the
 * ticket then. A ticket's events come from three topics in no guaranteed order (after a
 * restart the backlogs are read side by side), so the assignment may not be projected yet: the
 * charge is kept, with no department, and placed when it is (reattributeCharges).
 *
 * Callers hold the ticket view's row lock (every event upserts the view first), so a charge and
 * an assignment of one ticket projected at once see each other.
 */
export async function chargeDepartment(
  manager: EntityManager,
  charge: DepartmentCharge,
  source: { eventId: string; ticketId: string },
): Promise<void> {
  const rows: { department_id: string | null }[] = await manager.query(
    `INSERT INTO metrics.department_charge (event_id, ticket_id, at, day, measure, department_id)
     VALUES ($1, $2, $3, $4, $5, ${holderAt('$2::uuid', '$3::timestamptz')})
     ON CONFLICT (event_id) DO NOTHING
     RETURNING department_id`,
    [source.eventId, source.ticketId, charge.at, charge.day, charge.measure],
  );
  const department = rows[0]?.department_id;
  if (department) await incrementCounters(manager, [{ day: charge.day, dimension: 'department', key: department, measure: charge.measure }], source);
}

/**
 * After a (re)assignment of a ticket is projected: the steps from its time on may now belong to
 * another department. Each charge whose holder changed is taken from the old department's
 * counter (and its contribution) and given to the new one.
 */
export async function reattributeCharges(manager: EntityManager, ticketId: string, since: string): Promise<void> {
  const [moved]: [{ event_id: string; day: string; measure: string; old_department: string | null; new_department: string | null }[], number] =
    await manager.query(
      `WITH recomputed AS (
         SELECT c.event_id, c.department_id AS old_department, ${holderAt('c.ticket_id', 'c.at')} AS new_department
           FROM metrics.department_charge c
          WHERE c.ticket_id = $1 AND c.at >= $2
       )
       UPDATE metrics.department_charge c SET department_id = r.new_department
         FROM recomputed r
        WHERE c.event_id = r.event_id AND r.new_department IS DISTINCT FROM r.old_department
       RETURNING c.event_id, to_char(c.day, 'YYYY-MM-DD') AS day, c.measure, r.old_department, r.new_department`,
      [ticketId, since],
    );
  for (const charge of moved) {
    if (charge.old_department) {
      const counter = [charge.day, charge.old_department, charge.measure];
      const where = `day = $1 AND dimension = 'department' AND dimension_key = $2 AND measure = $3`;
      await manager.query(`UPDATE metrics.daily_counter SET value = value - 1 WHERE ${where}`, counter);
      // A counter this charge alone made goes away rather than stay at 0 with nothing behind it.
      await manager.query(`DELETE FROM metrics.daily_counter WHERE ${where} AND value = 0`, counter);
      await manager.query(
        `DELETE FROM metrics.counter_contribution WHERE event_id = $4 AND ${where}`,
        [...counter, charge.event_id],
      );
    }
    if (charge.new_department) {
      const increment: CounterIncrement = { day: charge.day, dimension: 'department', key: charge.new_department, measure: charge.measure };
      await incrementCounters(manager, [increment], { eventId: charge.event_id, ticketId });
    }
  }
}
