import { EntityManager } from 'typeorm';

/** The measures of DOMAIN.md for one department and month, counted from the events themselves. */
export interface DepartmentMeasures {
  departmentId: string;
  received: number;
  assigned: number;
  accepted: number;
  signedOnTime: number;
  closed: number;
  closedOnTime: number;
  returned: number;
  reopened: number;
  repeats: number;
  callbacksAnswered: number;
  satisfiedCallbacks: number;
}

export interface DepartmentRates {
  /** 及时签收率: signed within limit ÷ assigned. */
  timelySignFor: number | null;
  /** 按时办结率: closed within deadline ÷ closed. */
  onTimeCompletion: number | null;
  /** 办结率: closed ÷ received. */
  completion: number | null;
  /** 满意率: (satisfied + basically satisfied) ÷ call-backs answered. */
  satisfaction: number | null;
  /** 回退率 */
  returnRate: number | null;
  /** 重办率 */
  reopenRate: number | null;
  /** 重复诉求率 */
  repeatRate: number | null;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

export function ratesOf(m: DepartmentMeasures): DepartmentRates {
  return {
    timelySignFor: ratio(m.signedOnTime, m.assigned),
    onTimeCompletion: ratio(m.closedOnTime, m.closed),
    completion: ratio(m.closed, m.received),
    satisfaction: ratio(m.satisfiedCallbacks, m.callbacksAnswered),
    returnRate: ratio(m.returned, m.assigned),
    reopenRate: ratio(m.reopened, m.closed),
    repeatRate: ratio(m.repeats, m.received),
  };
}

/** [start, end) of a month (YYYY-MM) in Asia/Shanghai. */
export function monthBounds(month: string): [string, string] {
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return [`${month}-01T00:00:00+08:00`, `${next}-01T00:00:00+08:00`];
}

/**
 * Counts every measure of the month from the timeline (every event of every ticket), so the
 * numbers are exact, explainable down to events, and the same after a replay. "On time" is
 * judged against the deadline in force at the moment: the clock's deadline as last recomputed or
 * extended before the acceptance or reply.
 */
export async function departmentMeasures(manager: EntityManager, month: string): Promise<DepartmentMeasures[]> {
  return (await measureRows(manager, month)).measures;
}

export type Measure = Exclude<keyof DepartmentMeasures, 'departmentId'>;

export const MEASURES: readonly Measure[] = [
  'received',
  'assigned',
  'accepted',
  'signedOnTime',
  'closed',
  'closedOnTime',
  'returned',
  'reopened',
  'repeats',
  'callbacksAnswered',
  'satisfiedCallbacks',
];

/** The tickets behind one number of the department table (drill-down). */
export async function ticketsBehind(manager: EntityManager, month: string, departmentId: string, measure: Measure): Promise<string[]> {
  const { tickets } = await measureRows(manager, month, departmentId);
  return tickets.get(measure) ?? [];
}

async function measureRows(
  manager: EntityManager,
  month: string,
  departmentId?: string,
): Promise<{ measures: DepartmentMeasures[]; tickets: Map<string, string[]> }> {
  const [from, to] = monthBounds(month);
  const filter = departmentId ? 'AND dept = $3' : '';
  const rows: Record<string, string | number | string[]>[] = await manager.query(
    `
    -- NOT MATERIALIZED throughout: the lookups below are per ticket and must reach the
    -- timeline's (ticket_id, occurred_at) index, not scan a materialised copy each time.
    WITH ev AS NOT MATERIALIZED (
      SELECT ticket_id, type, occurred_at, payload FROM metrics.timeline_entry
    ),
    clock AS NOT MATERIALIZED (
      -- A clock runs from the start its event names (supervision may write the event later).
      SELECT ticket_id, payload->>'clockId' AS clock_id, payload->>'clock' AS kind, payload->>'departmentId' AS dept,
             coalesce((payload->>'startedAt')::timestamptz, occurred_at) AS started_at, (payload->>'deadline')::timestamptz AS deadline
        FROM ev WHERE type = 'ticket.sla-started'
    ),
    deadline_change AS NOT MATERIALIZED (
      SELECT payload->>'clockId' AS clock_id, occurred_at AS at, (payload->>'deadline')::timestamptz AS deadline
        FROM ev WHERE type = 'ticket.sla-recomputed'
    ),
    extension AS NOT MATERIALIZED (
      SELECT ticket_id, occurred_at AS at, (payload->>'replyDeadline')::timestamptz AS deadline
        FROM ev WHERE type = 'ticket.extension-decided' AND (payload->>'approved')::boolean AND payload ? 'replyDeadline'
    ),
    -- The deadline in force at instant "at" for the latest clock of a kind started before it.
    accepted AS (
      SELECT a.ticket_id, a.payload->>'departmentId' AS dept, a.occurred_at,
             (SELECT coalesce(
                (SELECT d.deadline FROM deadline_change d WHERE d.clock_id = c.clock_id AND d.at <= a.occurred_at ORDER BY d.at DESC LIMIT 1),
                c.deadline)
                FROM clock c
               WHERE c.ticket_id = a.ticket_id AND c.kind = 'sign-for' AND c.dept = a.payload->>'departmentId' AND c.started_at <= a.occurred_at
               ORDER BY c.started_at DESC LIMIT 1) AS deadline
        FROM ev a WHERE a.type = 'ticket.accepted' AND a.occurred_at >= $1 AND a.occurred_at < $2
    ),
    -- Which department held a ticket when something happened to it: the latest (re)assignment
    -- before that instant, whatever it holds now.
    held AS NOT MATERIALIZED (
      SELECT e.ticket_id, e.type, e.occurred_at, e.payload,
             (SELECT a.payload->>'departmentId' FROM metrics.timeline_entry a
               WHERE a.ticket_id = e.ticket_id AND a.type IN ('ticket.assigned', 'ticket.reassigned') AND a.occurred_at <= e.occurred_at
               ORDER BY a.occurred_at DESC LIMIT 1) AS dept
        FROM metrics.timeline_entry e
       WHERE e.type IN ('ticket.closed', 'ticket.repeat-linked', 'ticket.callback-recorded') AND e.occurred_at >= $1 AND e.occurred_at < $2
    ),
    closed AS (
      SELECT c.ticket_id, c.dept, c.occurred_at,
             (SELECT r.occurred_at FROM ev r WHERE r.ticket_id = c.ticket_id AND r.type = 'ticket.replied' AND r.occurred_at <= c.occurred_at
               ORDER BY r.occurred_at DESC LIMIT 1) AS replied_at
        FROM held c
       WHERE c.type = 'ticket.closed' AND c.dept IS NOT NULL
    ),
    closed_judged AS (
      SELECT cl.*,
             (SELECT greatest(
                coalesce((SELECT d.deadline FROM deadline_change d WHERE d.clock_id = k.clock_id AND d.at <= cl.replied_at ORDER BY d.at DESC LIMIT 1), k.deadline),
                (SELECT max(x.deadline) FROM extension x WHERE x.ticket_id = cl.ticket_id AND x.at >= k.started_at AND x.at <= cl.replied_at))
                FROM clock k
               WHERE k.ticket_id = cl.ticket_id AND k.kind = 'reply' AND k.started_at <= cl.replied_at
               ORDER BY k.started_at DESC LIMIT 1) AS deadline
        FROM closed cl
    ),
    -- One row per counted occurrence, with its ticket: the counts, and the tickets behind each (drill-down).
    counted AS (
      SELECT payload->>'departmentId' AS dept, 'assigned' AS m, ticket_id FROM ev
       WHERE type IN ('ticket.assigned', 'ticket.reassigned') AND occurred_at >= $1 AND occurred_at < $2
      UNION ALL
      SELECT first_department_id::text, 'received', ticket_id FROM metrics.ticket_view
       WHERE received_at >= $1 AND received_at < $2 AND first_department_id IS NOT NULL
      UNION ALL
      SELECT dept, 'accepted', ticket_id FROM accepted
      UNION ALL
      SELECT dept, 'signedOnTime', ticket_id FROM accepted WHERE deadline IS NOT NULL AND occurred_at <= deadline
      UNION ALL
      SELECT dept::text, 'closed', ticket_id FROM closed_judged
      UNION ALL
      SELECT dept::text, 'closedOnTime', ticket_id FROM closed_judged WHERE deadline IS NOT NULL AND replied_at <= deadline
      UNION ALL
      SELECT payload->>'departmentId', 'returned', ticket_id FROM ev
       WHERE type = 'ticket.returned' AND occurred_at >= $1 AND occurred_at < $2
      UNION ALL
      SELECT payload->>'departmentId', 'reopened', ticket_id FROM ev
       WHERE type = 'ticket.reopened' AND occurred_at >= $1 AND occurred_at < $2
      UNION ALL
      SELECT dept, 'repeats', ticket_id FROM held WHERE type = 'ticket.repeat-linked'
      UNION ALL
      SELECT dept, 'callbacksAnswered', ticket_id FROM held
       WHERE type = 'ticket.callback-recorded' AND payload->>'satisfaction' <> 'unreachable'
      UNION ALL
      SELECT dept, 'satisfiedCallbacks', ticket_id FROM held
       WHERE type = 'ticket.callback-recorded' AND payload->>'satisfaction' IN ('satisfied', 'basically-satisfied')
    )
    SELECT dept, m, count(*)::int AS n, array_agg(DISTINCT ticket_id::text) AS tickets
      FROM counted WHERE dept IS NOT NULL ${filter} GROUP BY dept, m`,
    departmentId ? [from, to, departmentId] : [from, to],
  );
  const byDept = new Map<string, DepartmentMeasures>();
  const tickets = new Map<string, string[]>();
  for (const row of rows) {
    const id = String(row.dept);
    const m =
      byDept.get(id) ??
      ({
        departmentId: id,
        received: 0,
        assigned: 0,
        accepted: 0,
        signedOnTime: 0,
        closed: 0,
        closedOnTime: 0,
        returned: 0,
        reopened: 0,
        repeats: 0,
        callbacksAnswered: 0,
        satisfiedCallbacks: 0,
      } satisfies DepartmentMeasures);
    (m as unknown as Record<string, number>)[String(row.m)] = Number(row.n);
    byDept.set(id, m);
    if (departmentId) tickets.set(String(row.m), row.tickets as string[]);
  }
  return { measures: [...byDept.values()], tickets };
}
