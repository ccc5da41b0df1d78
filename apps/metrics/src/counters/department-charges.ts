import { EntityManager } from 'typeorm';
import type { DepartmentCharge } from '../projection/counter-rules';
import { CounterIncrements, CounterSource } from './counter-increments';

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
 * Charges steps (closed, call-back, escalation, repeat) to the department that held each
 * ticket then, in one statement; the department counters' increments go to `counters`. Must
 * run after the events' own timeline entries are written (a step and its ticket's assignment
 * may be in the same batch). A ticket's events come from three topics in no guaranteed order
 * (after a restart the backlogs are read side by side), so the assignment may not be projected
 * yet: the charge is kept, with no department, and placed when it is (reattributeCharges).
 */
export async function chargeDepartments(
  manager: EntityManager,
  charges: readonly (DepartmentCharge & CounterSource)[],
  counters: CounterIncrements,
): Promise<void> {
  if (!charges.length) return;
  const rows: { event_id: string; ticket_id: string; day: string; measure: string; department_id: string | null }[] =
    await manager.query(
      `INSERT INTO metrics.department_charge (event_id, ticket_id, at, day, measure, department_id)
       SELECT c.event_id, c.ticket_id, c.at, c.day, c.measure, ${holderAt('c.ticket_id', 'c.at')}
         FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::date[], $5::text[]) AS c (event_id, ticket_id, at, day, measure)
       ON CONFLICT (event_id) DO NOTHING
       RETURNING event_id, ticket_id, to_char(day, 'YYYY-MM-DD') AS day, measure, department_id`,
      [
        charges.map((c) => c.eventId),
        charges.map((c) => c.ticketId),
        charges.map((c) => c.at),
        charges.map((c) => c.day),
        charges.map((c) => c.measure),
      ],
    );
  for (const row of rows) {
    if (!row.department_id) continue;
    counters.add([{ day: row.day, dimension: 'department', key: row.department_id, measure: row.measure }], {
      eventId: row.event_id,
      ticketId: row.ticket_id,
    });
  }
}

/**
 * After (re)assignments of tickets are projected: their steps from the assignment's time on may
 * now belong to another department. Each charge whose holder changed is taken from the old
 * department's counter (and its contribution) at once, and given to the new one through
 * `counters`. Written so it moves only charges made before (earlier batches): the caller charges
 * this batch's steps with its timeline already complete.
 */
export async function reattributeCharges(
  manager: EntityManager,
  assignedSince: ReadonlyMap<string, string>,
  counters: CounterIncrements,
): Promise<void> {
  if (!assignedSince.size) return;
  const moved: { event_id: string; ticket_id: string; day: string; measure: string; old_department: string | null; new_department: string | null }[] =
    (
      await manager.query(
        `WITH recomputed AS (
           SELECT c.event_id, c.department_id AS old_department, ${holderAt('c.ticket_id', 'c.at')} AS new_department
             FROM unnest($1::uuid[], $2::timestamptz[]) AS t (ticket_id, since)
             JOIN metrics.department_charge c ON c.ticket_id = t.ticket_id AND c.at >= t.since
         )
         UPDATE metrics.department_charge c SET department_id = r.new_department
           FROM recomputed r
          WHERE c.event_id = r.event_id AND r.new_department IS DISTINCT FROM r.old_department
         RETURNING c.event_id, c.ticket_id, to_char(c.day, 'YYYY-MM-DD') AS day, c.measure, r.old_department, r.new_department`,
        [[...assignedSince.keys()], [...assignedSince.values()]],
      )
    )[0];
  const taken = moved.filter((m) => m.old_department);
  if (taken.length) {
    const given = {
      events: taken.map((m) => m.event_id),
      days: taken.map((m) => m.day),
      departments: taken.map((m) => m.old_department),
      measures: taken.map((m) => m.measure),
    };
    const params = [given.days, given.departments, given.measures];
    await manager.query(
      `UPDATE metrics.daily_counter d SET value = d.value - t.n
         FROM (SELECT day, department, measure, count(*) AS n
                 FROM unnest($1::date[], $2::text[], $3::text[]) AS m (day, department, measure)
                GROUP BY 1, 2, 3) t
        WHERE d.day = t.day AND d.dimension = 'department' AND d.dimension_key = t.department AND d.measure = t.measure`,
      params,
    );
    // A counter these charges alone made goes away rather than stay at 0 with nothing behind it.
    await manager.query(
      `DELETE FROM metrics.daily_counter d
        USING unnest($1::date[], $2::text[], $3::text[]) AS m (day, department, measure)
        WHERE d.day = m.day AND d.dimension = 'department' AND d.dimension_key = m.department AND d.measure = m.measure
          AND d.value = 0`,
      params,
    );
    await manager.query(
      `DELETE FROM metrics.counter_contribution c
        USING unnest($1::uuid[], $2::date[], $3::text[], $4::text[]) AS m (event_id, day, department, measure)
        WHERE c.event_id = m.event_id AND c.day = m.day AND c.dimension = 'department'
          AND c.dimension_key = m.department AND c.measure = m.measure`,
      [given.events, ...params],
    );
  }
  for (const m of moved) {
    if (!m.new_department) continue;
    counters.add([{ day: m.day, dimension: 'department', key: m.new_department, measure: m.measure }], {
      eventId: m.event_id,
      ticketId: m.ticket_id,
    });
  }
}
