import { queryPrepared } from '@hotline/platform';
import type { EntityManager } from 'typeorm';
import { BREAKDOWN_COLUMNS, BREAKDOWN_DIMENSIONS } from '../breakdown/breakdown-dimensions';

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

/** The measures alone, as a breakdown row (分类统计) counts them too. */
export type MeasureCounts = Omit<DepartmentMeasures, 'departmentId'>;

export function ratesOf(m: MeasureCounts): DepartmentRates {
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

/** Anything that runs SQL: a TypeORM manager or query runner, a `pg` client. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
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

/**
 * The events that can change a ticket's place in the department table: what it counts, when,
 * and which department held the ticket or which deadline was in force at the time.
 */
export const MEASURED_EVENT_TYPES: ReadonlySet<string> = new Set([
  'ticket.received',
  'ticket.assigned',
  'ticket.reassigned',
  'ticket.accepted',
  'ticket.replied',
  'ticket.returned',
  'ticket.reopened',
  'ticket.closed',
  'ticket.repeat-linked',
  'ticket.callback-recorded',
  'ticket.sla-started',
  'ticket.sla-recomputed',
  'ticket.extension-decided',
]);

/**
 * Measured events that change something only in some states of their ticket (see `occurrences`):
 * a receipt counts once the ticket's first department is known; a clock's start, a deadline's
 * recomputation or an extension only judge an acceptance or a closing the ticket already has.
 * Most events of a ticket's first minutes are of these kinds and change nothing.
 */
const RECEIPT = 'ticket.received';
const DEADLINE_EVENT_TYPES: ReadonlySet<string> = new Set(['ticket.sla-started', 'ticket.sla-recomputed', 'ticket.extension-decided']);

/** The department table of a month: its sums, kept by `recountDepartmentMeasures`. */
export async function departmentMeasures(manager: Queryable, month: string): Promise<DepartmentMeasures[]> {
  const rows = (await manager.query(
    `SELECT department_id, measure, n FROM metrics.department_month WHERE month = $1 AND n <> 0 ORDER BY department_id`,
    [month],
  )) as { department_id: string; measure: Measure; n: number }[];
  const byDept = new Map<string, DepartmentMeasures>();
  for (const row of rows) {
    const m = byDept.get(row.department_id) ?? emptyMeasures(row.department_id);
    m[row.measure] = Number(row.n);
    byDept.set(row.department_id, m);
  }
  return [...byDept.values()];
}

/** The tickets behind one number of the department table (drill-down). */
export async function ticketsBehind(manager: Queryable, month: string, departmentId: string, measure: Measure): Promise<string[]> {
  const rows = (await manager.query(
    `SELECT DISTINCT ticket_id::text AS id FROM metrics.department_measure_entry WHERE month = $1 AND department_id = $2 AND measure = $3`,
    [month, departmentId, measure],
  )) as { id: string }[];
  return rows.map((r) => r.id);
}

/**
 * Brings the department table up to date for the tickets of events just projected, in the
 * caller's transaction: each ticket's occurrences are counted again from its whole timeline
 * (so an event that arrives late, out of order, is judged as if it had come in order), and the
 * month sums move by the difference. One ticket's recount reads only that ticket's events.
 *
 * A ticket is recounted when one of its events always counts or moves a count, or when its
 * receipt or deadline events meet a state in which they count (asked of the ticket view and the
 * timeline, which already hold the batch) — the events of a ticket's first minutes mostly do not.
 */
export async function recountTickets(manager: EntityManager, events: readonly { type: string; ticketId: string }[]): Promise<void> {
  const always = new Set<string>();
  const conditional = new Map<string, { receipt: boolean; deadline: boolean }>();
  for (const e of events) {
    if (!MEASURED_EVENT_TYPES.has(e.type)) continue;
    if (e.type !== RECEIPT && !DEADLINE_EVENT_TYPES.has(e.type)) {
      always.add(e.ticketId);
      continue;
    }
    const c = conditional.get(e.ticketId) ?? { receipt: false, deadline: false };
    if (e.type === RECEIPT) c.receipt = true;
    else c.deadline = true;
    conditional.set(e.ticketId, c);
  }
  for (const id of always) conditional.delete(id);
  const ids = [...always, ...conditional.keys()];
  if (!ids.length) return;
  // Two replicas of metrics may project one ticket's events of two topics at once: one recount
  // at a time per ticket, taken in one order so two batches cannot wait on each other. Taken
  // before the state is asked, so what another batch of the ticket committed meanwhile is seen.
  await manager.query(
    `SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtext('metrics:department-measures:' || id) AS k FROM unnest($1::text[]) id ORDER BY 1) l`,
    [ids],
  );
  const counted = [...always, ...(await whereTheyCount(manager, conditional))];
  // Run many times a second by the live projection: planned once per connection.
  const statements = recountStatements({ where: 'ticket_id = ANY($1::uuid[])', params: [], few: true });
  for (let i = 0; i < counted.length; i += RECOUNT_CHUNK) {
    const params = [counted.slice(i, i + RECOUNT_CHUNK)];
    for (const [n, text] of statements.entries()) await queryPrepared(manager, `metrics.recount-tickets.${n}`, text, params);
  }
}

/** The tickets among `conditional` whose receipt or deadline events count in their present state. */
async function whereTheyCount(db: EntityManager, conditional: Map<string, { receipt: boolean; deadline: boolean }>): Promise<string[]> {
  if (!conditional.size) return [];
  const ids = [...conditional.keys()];
  const rows = (await db.query(
    `SELECT t.id::text AS id FROM unnest($1::uuid[], $2::boolean[], $3::boolean[]) AS t(id, receipt, deadline)
      WHERE (t.receipt AND EXISTS (SELECT 1 FROM metrics.ticket_view v WHERE v.ticket_id = t.id AND v.first_department_id IS NOT NULL))
         OR (t.deadline AND EXISTS (SELECT 1 FROM metrics.timeline_entry e
                                     WHERE e.ticket_id = t.id AND e.type IN ('ticket.accepted', 'ticket.closed')))`,
    [ids, ids.map((id) => conditional.get(id)?.receipt ?? false), ids.map((id) => conditional.get(id)?.deadline ?? false)],
  )) as { id: string }[];
  return rows.map((r) => r.id);
}

/** Tickets recounted per statement: their events are read once, and each look-up scans them all. */
const RECOUNT_CHUNK = 100;

/**
 * Which tickets a recount covers: a predicate on `ticket_id` (true for all) and its parameters.
 * `few` (a batch's tickets): their events are read once by the ticket index and every look-up
 * runs on that copy. Otherwise each look-up goes to the timeline's index — for a whole history.
 */
export interface RecountScope {
  where: string;
  params: unknown[];
  few?: boolean;
}

/**
 * Counts the occurrences of every ticket the scope selects again (a predicate on `ticket_id`,
 * true for all) and moves the month sums by the difference. The live projection recounts the
 * tickets of each batch; a migration or a generated history recounts everything.
 */
export async function recountDepartmentMeasures(db: Queryable, scope: RecountScope): Promise<void> {
  for (const text of recountStatements(scope)) await db.query(text, scope.params);
}

/** The statements of a recount of the tickets the scope selects. */
function recountStatements({ where, few = false }: RecountScope): string[] {
  const attributes = BREAKDOWN_DIMENSIONS.map((d) => BREAKDOWN_COLUMNS[d]);
  const list = (prefix: string) => attributes.map((c) => `${prefix}${c}`).join(', ');
  // A breakdown row moves by what the ticket's entry counts now under its attributes now, less
  // what it counted before under its attributes then (they are filled in when the receipt comes).
  const moves = BREAKDOWN_DIMENSIONS.flatMap((d) => [
    `('${d}', d.was_${BREAKDOWN_COLUMNS[d]}, -coalesce(d.before, 0))`,
    `('${d}', d.${BREAKDOWN_COLUMNS[d]}, coalesce(d.now, 0))`,
  ]).join(',\n         ');
  return [
    // Only what changed is written: most recounts move one or two of a ticket's occurrences.
    // The rows deleted (counted no more) and the rows upserted (counted now) are disjoint. Each
    // entry also keeps the ticket's attributes it was counted under (分类统计: breakdown_month).
    `WITH fresh AS (
       SELECT o.ticket_id, o.month, o.department_id, o.measure, o.n, ${list('v.')}
         FROM (${occurrences(where, few)}) o
         LEFT JOIN metrics.ticket_view v ON v.ticket_id = o.ticket_id
     ),
     kept AS (SELECT ticket_id, month, department_id, measure, n, ${list('')} FROM metrics.department_measure_entry WHERE ${where}),
     diff AS (
       SELECT ticket_id, month, department_id, measure, f.n AS now, k.n AS before, coalesce(f.n, 0) - coalesce(k.n, 0) AS delta,
              ${list('f.')}, ${attributes.map((c) => `k.${c} AS was_${c}`).join(', ')}
         FROM fresh f FULL JOIN kept k USING (ticket_id, month, department_id, measure)
        WHERE f.n IS DISTINCT FROM k.n OR (${list('f.')}) IS DISTINCT FROM (${list('k.')})
     ),
     removed AS (
       DELETE FROM metrics.department_measure_entry e USING diff d
        WHERE d.now IS NULL AND e.ticket_id = d.ticket_id AND e.month = d.month AND e.department_id = d.department_id AND e.measure = d.measure
     ),
     written AS (
       INSERT INTO metrics.department_measure_entry (ticket_id, month, department_id, measure, n, ${list('')})
       SELECT ticket_id, month, department_id, measure, now, ${list('')} FROM diff WHERE now IS NOT NULL
       ON CONFLICT (ticket_id, month, department_id, measure) DO UPDATE
         SET n = excluded.n, ${attributes.map((c) => `${c} = excluded.${c}`).join(', ')}
     ),
     broken_down AS (
       INSERT INTO metrics.breakdown_month (month, dimension, key, measure, n)
       SELECT d.month, x.dimension, x.key, d.measure, sum(x.n)
         FROM diff d
        CROSS JOIN LATERAL (VALUES
         ${moves}
        ) x(dimension, key, n)
        WHERE x.key IS NOT NULL
        GROUP BY 1, 2, 3, 4 HAVING sum(x.n) <> 0 ORDER BY 1, 2, 3, 4
       ON CONFLICT (month, dimension, key, measure) DO UPDATE SET n = metrics.breakdown_month.n + excluded.n
     )
     INSERT INTO metrics.department_month (month, department_id, measure, n)
     SELECT month, department_id, measure, sum(delta) FROM diff GROUP BY 1, 2, 3 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3
     ON CONFLICT (month, department_id, measure) DO UPDATE SET n = metrics.department_month.n + excluded.n`,
    // The names the tables show: the latest a ticket of the scope was assigned under.
    `INSERT INTO metrics.department_name (department_id, name)
     SELECT DISTINCT ON (department_id) department_id::text, department_name FROM metrics.ticket_view
      WHERE ${where} AND department_id IS NOT NULL AND department_name IS NOT NULL
      ORDER BY department_id, assigned_at DESC NULLS LAST
     ON CONFLICT (department_id) DO UPDATE SET name = excluded.name WHERE metrics.department_name.name IS DISTINCT FROM excluded.name`,
  ];
}

/** Department names by id (departments that held a ticket). */
export async function departmentNames(manager: Queryable): Promise<Map<string, string>> {
  const rows = (await manager.query(`SELECT department_id, name FROM metrics.department_name`)) as { department_id: string; name: string }[];
  return new Map(rows.map((r) => [r.department_id, r.name]));
}

function emptyMeasures(departmentId: string): DepartmentMeasures {
  return { departmentId, ...noMeasures() };
}

/** Every measure at 0. */
export function noMeasures(): MeasureCounts {
  return {
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
  };
}

/**
 * Every counted occurrence of the tickets `scope` selects, by month (Asia/Shanghai), department
 * and measure, counted from the events themselves: exact, explainable down to events, the same
 * after a replay. "On time" is judged against the deadline in force at the moment: the clock's
 * deadline as last recomputed or extended before the acceptance or reply; closings, repeats and
 * call-backs count for the department that held the ticket then (its latest (re)assignment
 * before), whatever it holds now. Every look-up is within one ticket's events, by the timeline's
 * (ticket_id, occurred_at) index.
 */
function occurrences(scope: string, few: boolean): string {
  // The events counted are the scope's. For a few tickets they are read once, by the ticket
  // index (left to itself the planner ANDs in the (type, occurred_at) index, which reads every
  // event of a type: a batch's recount then grew with the history — 60 ms for 5 tickets of a
  // 250k-ticket year, 16 ms read once). For a whole history they stay inlined. The look-ups are
  // index probes of one ticket's events in the whole timeline, never scans of a copy.
  return `
    WITH ev AS ${few ? 'MATERIALIZED' : 'NOT MATERIALIZED'} (
      SELECT ticket_id, type, occurred_at, payload FROM metrics.timeline_entry WHERE ${scope}
    ),
    -- The look-ups: by ticket, in the whole timeline.
    tl AS NOT MATERIALIZED (
      SELECT ticket_id, type, occurred_at, payload FROM metrics.timeline_entry
    ),
    clock AS NOT MATERIALIZED (
      -- A clock runs from the start its event names (supervision may write the event later).
      SELECT ticket_id, payload->>'clockId' AS clock_id, payload->>'clock' AS kind, payload->>'departmentId' AS dept,
             coalesce((payload->>'startedAt')::timestamptz, occurred_at) AS started_at, (payload->>'deadline')::timestamptz AS deadline
        FROM tl WHERE type = 'ticket.sla-started'
    ),
    deadline_change AS NOT MATERIALIZED (
      SELECT ticket_id, payload->>'clockId' AS clock_id, occurred_at AS at, (payload->>'deadline')::timestamptz AS deadline
        FROM tl WHERE type = 'ticket.sla-recomputed'
    ),
    extension AS NOT MATERIALIZED (
      SELECT ticket_id, occurred_at AS at, (payload->>'replyDeadline')::timestamptz AS deadline
        FROM tl WHERE type = 'ticket.extension-decided' AND (payload->>'approved')::boolean AND payload ? 'replyDeadline'
    ),
    -- The deadline in force at instant "at" for the latest sign-for clock started before it.
    accepted AS NOT MATERIALIZED (
      SELECT a.ticket_id, a.payload->>'departmentId' AS dept, a.occurred_at,
             (SELECT coalesce(
                (SELECT d.deadline FROM deadline_change d
                  WHERE d.ticket_id = c.ticket_id AND d.clock_id = c.clock_id AND d.at <= a.occurred_at ORDER BY d.at DESC LIMIT 1),
                c.deadline)
                FROM clock c
               WHERE c.ticket_id = a.ticket_id AND c.kind = 'sign-for' AND c.dept = a.payload->>'departmentId' AND c.started_at <= a.occurred_at
               ORDER BY c.started_at DESC LIMIT 1) AS deadline
        FROM ev a WHERE a.type = 'ticket.accepted'
    ),
    held AS NOT MATERIALIZED (
      SELECT e.ticket_id, e.type, e.occurred_at, e.payload,
             (SELECT a.payload->>'departmentId' FROM tl a
               WHERE a.ticket_id = e.ticket_id AND a.type IN ('ticket.assigned', 'ticket.reassigned') AND a.occurred_at <= e.occurred_at
               ORDER BY a.occurred_at DESC LIMIT 1) AS dept
        FROM ev e
       WHERE e.type IN ('ticket.closed', 'ticket.repeat-linked', 'ticket.callback-recorded')
    ),
    closed AS NOT MATERIALIZED (
      SELECT c.ticket_id, c.dept, c.occurred_at,
             (SELECT r.occurred_at FROM tl r WHERE r.ticket_id = c.ticket_id AND r.type = 'ticket.replied' AND r.occurred_at <= c.occurred_at
               ORDER BY r.occurred_at DESC LIMIT 1) AS replied_at
        FROM held c
       WHERE c.type = 'ticket.closed' AND c.dept IS NOT NULL
    ),
    closed_judged AS NOT MATERIALIZED (
      SELECT cl.*,
             (SELECT greatest(
                coalesce((SELECT d.deadline FROM deadline_change d
                           WHERE d.ticket_id = k.ticket_id AND d.clock_id = k.clock_id AND d.at <= cl.replied_at ORDER BY d.at DESC LIMIT 1), k.deadline),
                (SELECT max(x.deadline) FROM extension x WHERE x.ticket_id = cl.ticket_id AND x.at >= k.started_at AND x.at <= cl.replied_at))
                FROM clock k
               WHERE k.ticket_id = cl.ticket_id AND k.kind = 'reply' AND k.started_at <= cl.replied_at
               ORDER BY k.started_at DESC LIMIT 1) AS deadline
        FROM closed cl
    ),
    -- One row per counted occurrence: when it counts, for which department, as what.
    counted AS (
      SELECT ticket_id, occurred_at AS at, payload->>'departmentId' AS dept, 'assigned' AS m FROM ev
       WHERE type IN ('ticket.assigned', 'ticket.reassigned')
      UNION ALL
      SELECT ticket_id, received_at, first_department_id::text, 'received' FROM metrics.ticket_view
       WHERE ${scope} AND received_at IS NOT NULL AND first_department_id IS NOT NULL
      UNION ALL
      SELECT a.ticket_id, a.occurred_at, a.dept, v.m FROM accepted a
       CROSS JOIN LATERAL (VALUES ('accepted', true), ('signedOnTime', a.deadline IS NOT NULL AND a.occurred_at <= a.deadline)) v(m, counts)
       WHERE v.counts
      UNION ALL
      SELECT c.ticket_id, c.occurred_at, c.dept, v.m FROM closed_judged c
       CROSS JOIN LATERAL (VALUES ('closed', true), ('closedOnTime', c.deadline IS NOT NULL AND c.replied_at <= c.deadline)) v(m, counts)
       WHERE v.counts
      UNION ALL
      SELECT ticket_id, occurred_at, payload->>'departmentId', CASE type WHEN 'ticket.returned' THEN 'returned' ELSE 'reopened' END FROM ev
       WHERE type IN ('ticket.returned', 'ticket.reopened')
      UNION ALL
      SELECT h.ticket_id, h.occurred_at, h.dept, v.m FROM held h
       CROSS JOIN LATERAL (VALUES
         ('repeats', h.type = 'ticket.repeat-linked'),
         ('callbacksAnswered', h.type = 'ticket.callback-recorded' AND h.payload->>'satisfaction' <> 'unreachable'),
         ('satisfiedCallbacks', h.type = 'ticket.callback-recorded' AND h.payload->>'satisfaction' IN ('satisfied', 'basically-satisfied'))
       ) v(m, counts)
       WHERE v.counts
    )
    SELECT ticket_id, to_char(at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month, dept AS department_id, m AS measure, count(*)::int AS n
      FROM counted WHERE dept IS NOT NULL GROUP BY 1, 2, 3, 4`;
}
