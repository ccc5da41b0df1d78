/**
 * A year of history for the metrics service: tickets of 50 departments in metrics.ticket_view,
 * every ticket's events in metrics.timeline_entry (the department table is counted from them) and
 * the daily counters those events moved — generated in PostgreSQL (INSERT … SELECT over
 * generate_series), month by month, into a database of its own that later runs reuse.
 *
 * Not generated: counter_contribution and demand_signal (drill-down and hotspots, which are not
 * on the dashboard endpoints measured) and escalations.
 */
import { migrateServiceSchema, serviceDataSourceOptions } from '@hotline/platform';
import { Pool } from 'pg';
import { METRICS_DATABASE } from '../../apps/metrics/src/database/metrics.database';
import { recountDepartmentMeasures } from '../../apps/metrics/src/department-measures/department-measures';
import { adminUrl, databaseUrl } from './stack';

const GENERATOR = 'v3';
export const HISTORY_DAYS = 365;

export interface Department {
  id: string;
  name: string;
  region: string | null;
}

export interface History {
  database: string;
  url: string;
  tickets: number;
  timeline: number;
  counters: number;
  departments: Department[];
  generatedSeconds: number | null;
  /** Counting the department table for every ticket (part of generating): what the migration costs. */
  recountSeconds: number | null;
  reused: boolean;
  sizeBytes: number;
}

/** The Shanghai calendar day of an instant, YYYY-MM-DD. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * One row per ticket received between two Shanghai days, `per_day` a day, with every instant of
 * its life derived from a hash of its number (so ticket_view and the timeline agree).
 */
const UUID_FUNCTION = `
CREATE OR REPLACE FUNCTION bench_history.uuid7(at timestamptz, seed text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
  SELECT (lpad(to_hex((extract(epoch FROM at) * 1000)::bigint), 12, '0') || '7' || substr(md5(seed), 1, 3) || '8' || substr(md5(seed), 4, 15))::uuid
$$`;

const TICKETS_FUNCTION = `
CREATE OR REPLACE FUNCTION bench_history.tickets(from_day date, to_day date, per_day int)
RETURNS TABLE (
  ticket_id uuid, number text, received_at timestamptz, dept_id uuid, dept_name text, region text, domain text,
  demand_type text, channel text, urgency text, assigned_at timestamptz, accepted_at timestamptz,
  sign_deadline timestamptz, replied_at timestamptz, reply_deadline timestamptz, closed_at timestamptz,
  satisfaction text, status text, title text
) LANGUAGE sql STABLE AS $$
  WITH raw AS (
    SELECT d::date AS day, g,
           abs(hashint8((extract(epoch FROM d)::bigint / 86400) * 1000000 + g)) AS h,
           (d::timestamp AT TIME ZONE 'Asia/Shanghai') + interval '8 hours' + (g * (36000.0 / per_day)) * interval '1 second' AS received_at
      FROM generate_series(from_day::timestamp, to_day::timestamp, interval '1 day') d, generate_series(1, per_day) g
  ), t AS (
    SELECT r.*, dep.id AS dept_id, dep.name AS dept_name, coalesce(dep.region, '500103') AS region,
           r.received_at + interval '2 minutes' AS assigned_at,
           r.received_at + interval '2 minutes' + ((r.h % 30) + 1) * interval '1 hour' AS accepted_at,
           r.received_at + interval '2 minutes' + ((r.h / 7 % 120) + 30) * interval '1 hour' AS replied_at
      FROM raw r JOIN bench_history.department dep ON dep.n = r.h % 50
  )
  SELECT bench_history.uuid7(t.received_at, t.day::text || t.g),
         '12333-' || to_char(t.day, 'YYYYMMDD') || '-' || lpad(t.g::text, 6, '0'),
         t.received_at, t.dept_id, t.dept_name, t.region,
         (ARRAY['employment','social-insurance','social-security-card','labour-relations','wage-arrears'])[t.h % 5 + 1],
         (ARRAY['complaint','consultation','help','report'])[t.h / 5 % 4 + 1],
         (ARRAY['phone','phone','phone','web','direct-report'])[t.h / 20 % 5 + 1],
         CASE WHEN t.h % 10 = 0 THEN 'urgent' ELSE 'normal' END,
         t.assigned_at, t.accepted_at, t.assigned_at + interval '24 hours', t.replied_at, t.assigned_at + interval '7 days',
         CASE WHEN t.replied_at + interval '1 day' < now() THEN t.replied_at + interval '1 day' END,
         (ARRAY['satisfied','satisfied','satisfied','basically-satisfied','unsatisfied','unreachable'])[t.h / 80 % 6 + 1],
         CASE WHEN t.replied_at + interval '1 day' < now() THEN 'closed' WHEN t.replied_at < now() THEN 'replied'
              WHEN t.accepted_at < now() THEN 'accepted' ELSE 'assigned' END,
         (ARRAY['拖欠工资','失业保险金申领','社保卡补办','未缴社会保险','农民工工资','灵活就业参保','试用期辞退','就业补贴申请'])[t.h / 3 % 8 + 1]
    FROM t
$$`;

/** The events of each ticket as the projection stores them (type, instant, payload). */
const TIMELINE_INSERT = `
INSERT INTO metrics.timeline_entry (event_id, ticket_id, type, version, occurred_at, producer, actor, correlation_id, causation_id, payload)
SELECT bench_history.uuid7(e.at, t.number || e.n),
       t.ticket_id, e.type, 1, e.at, e.producer, e.actor, t.ticket_id, NULL, e.payload
  FROM bench_history.tickets($1::date, $2::date, $3::int) t
  CROSS JOIN LATERAL (VALUES
    (1, 'ticket.received', t.received_at, 'intake', '{"id":"operator","role":"operator"}'::jsonb,
        jsonb_build_object('number', t.number, 'channel', t.channel, 'demandType', t.demand_type, 'domain', t.domain, 'urgency', t.urgency,
          'regionCode', t.region, 'title', t.title, 'content', '来电人反映' || t.title || '问题，希望相关部门尽快核实处理并答复。',
          'callerPhoneHash', md5(t.number), 'receivedAt', t.received_at, 'disposition', 'dispatch')),
    (2, 'ticket.assigned', t.assigned_at, 'assignment', '{"id":"system","role":"system"}'::jsonb,
        jsonb_build_object('number', t.number, 'departmentId', t.dept_id, 'departmentName', t.dept_name, 'regionCode', t.region,
          'demandType', t.demand_type, 'domain', t.domain, 'urgency', t.urgency, 'receivedAt', t.received_at, 'title', t.title,
          'routing', jsonb_build_object('ruleId', 'default-region-bureau@1', 'reason', '按属地派至区县人力社保局'), 'coHandlers', '[]'::jsonb)),
    (3, 'ticket.sla-started', t.assigned_at + interval '50 milliseconds', 'supervision', '{"id":"system","role":"system"}'::jsonb,
        jsonb_build_object('clockId', bench_history.uuid7(t.assigned_at, t.number || 'sign'), 'clock', 'sign-for', 'departmentId', t.dept_id, 'deadline', t.sign_deadline,
          'policyVersion', 1, 'limit', jsonb_build_object('amount', 1, 'unit', 'working-days'))),
    (4, 'ticket.accepted', t.accepted_at, 'assignment', jsonb_build_object('id', 'handler', 'role', 'handler', 'departmentId', t.dept_id),
        jsonb_build_object('departmentId', t.dept_id, 'acceptedAt', t.accepted_at)),
    (5, 'ticket.sla-started', t.accepted_at + interval '50 milliseconds', 'supervision', '{"id":"system","role":"system"}'::jsonb,
        jsonb_build_object('clockId', bench_history.uuid7(t.accepted_at, t.number || 'reply'), 'clock', 'reply', 'departmentId', t.dept_id, 'deadline', t.reply_deadline,
          'policyVersion', 1, 'limit', jsonb_build_object('amount', 5, 'unit', 'working-days'))),
    (6, 'ticket.replied', t.replied_at, 'assignment', jsonb_build_object('id', 'handler', 'role', 'handler', 'departmentId', t.dept_id),
        jsonb_build_object('departmentId', t.dept_id, 'repliedAt', t.replied_at, 'reply', '已核实并督促用人单位整改，已向来电人答复。')),
    (7, 'ticket.closed', t.closed_at, 'supervision', '{"id":"operator","role":"operator"}'::jsonb,
        jsonb_build_object('closedAt', t.closed_at, 'outcome', t.satisfaction)),
    (8, 'ticket.callback-recorded', t.closed_at - interval '1 minute', 'supervision', '{"id":"operator","role":"operator"}'::jsonb,
        jsonb_build_object('satisfaction', t.satisfaction, 'attempt', 1))
  ) AS e (n, type, at, producer, actor, payload)
 WHERE e.at IS NOT NULL AND e.at < now()`;

const VIEW_INSERT = `
INSERT INTO metrics.ticket_view (ticket_id, number, status, channel, demand_type, domain, urgency, region_code, title, department_id,
  department_name, first_department_id, received_at, assigned_at, sign_for_deadline, reply_deadline, status_at, closed_at, callback_count)
SELECT t.ticket_id, t.number, t.status, t.channel, t.demand_type, t.domain, t.urgency, t.region, t.title, t.dept_id, t.dept_name, t.dept_id,
       t.received_at, t.assigned_at, t.sign_deadline, t.reply_deadline, coalesce(t.closed_at, t.assigned_at), t.closed_at,
       CASE WHEN t.closed_at IS NULL THEN 0 ELSE 1 END
  FROM bench_history.tickets($1::date, $2::date, $3::int) t`;

/** The increments of counter-rules.ts for these events, summed per day and key. */
const COUNTERS_INSERT = `
INSERT INTO metrics.daily_counter (day, dimension, dimension_key, measure, value)
SELECT (i.at AT TIME ZONE 'Asia/Shanghai')::date, i.dimension, i.key, i.measure, count(*)
  FROM bench_history.tickets($1::date, $2::date, $3::int) t
  CROSS JOIN LATERAL (VALUES
    (t.received_at, 'all', 'all', 'received'), (t.received_at, 'region', t.region, 'received'), (t.received_at, 'domain', t.domain, 'received'),
    (t.received_at, 'demand-type', t.demand_type, 'received'), (t.received_at, 'channel', t.channel, 'received'),
    (t.received_at, 'department', t.dept_id::text, 'received'),
    (t.assigned_at, 'all', 'all', 'assigned'), (t.assigned_at, 'department', t.dept_id::text, 'assigned'), (t.assigned_at, 'region', t.region, 'assigned'),
    (t.accepted_at, 'all', 'all', 'accepted'), (t.accepted_at, 'department', t.dept_id::text, 'accepted'),
    (t.replied_at, 'all', 'all', 'replied'), (t.replied_at, 'department', t.dept_id::text, 'replied'),
    (t.closed_at, 'all', 'all', 'closed'), (t.closed_at, 'department', t.dept_id::text, 'closed'),
    (t.closed_at - interval '1 minute', 'all', 'all', 'callback-' || t.satisfaction),
    (t.closed_at - interval '1 minute', 'department', t.dept_id::text, 'callback-' || t.satisfaction)
  ) AS i (at, dimension, key, measure)
 WHERE i.at IS NOT NULL AND i.at < now()
 GROUP BY 1, 2, 3, 4
ON CONFLICT (day, dimension, dimension_key, measure) DO UPDATE SET value = daily_counter.value + EXCLUDED.value`;

async function meta(pool: Pool): Promise<Record<string, string> | null> {
  try {
    const { rows } = await pool.query<{ key: string; value: string }>('SELECT key, value FROM bench_history.meta');
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  } catch {
    return null;
  }
}

async function totals(pool: Pool, database: string): Promise<{ tickets: number; timeline: number; counters: number; sizeBytes: number }> {
  // Row estimates: exact counts of 40 million rows take longer than they tell.
  const { rows } = await pool.query<{ relname: string; n: string }>(
    `SELECT relname, reltuples::bigint AS n FROM pg_class WHERE oid IN ('metrics.ticket_view'::regclass, 'metrics.timeline_entry'::regclass, 'metrics.daily_counter'::regclass)`,
  );
  const n = (name: string) => Number(rows.find((r) => r.relname === name)?.n ?? 0);
  const { rows: size } = await pool.query<{ s: string }>('SELECT pg_database_size($1) AS s', [database]);
  return { tickets: n('ticket_view'), timeline: n('timeline_entry'), counters: n('daily_counter'), sizeBytes: Number(size[0].s) };
}

/** The calendar months from `firstDay` to `lastDay` (YYYY-MM-DD), the first and last cut to them. */
function monthsOf(firstDay: string, lastDay: string): { from: string; to: string }[] {
  const months: { from: string; to: string }[] = [];
  for (let from = firstDay; from <= lastDay; ) {
    const monthEnd = addDays(`${addDays(from.slice(0, 8) + '01', 32).slice(0, 8)}01`, -1);
    const to = monthEnd < lastDay ? monthEnd : lastDay;
    months.push({ from, to });
    from = addDays(to, 1);
  }
  return months;
}

/** `work` for every month, in order, two at a time (the pool's two connections). */
async function onTwoConnections<T>(items: T[], work: (item: T) => Promise<unknown>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  };
  await Promise.all([worker(), worker()]);
}

/**
 * The history database for `tickets` tickets over the last year: reused when an earlier run
 * generated it with the same generator and size, else (or with `regenerate`) generated now.
 */
export async function ensureHistory(
  tickets: number,
  departments: Department[],
  regenerate: boolean,
  log: (m: string) => void,
): Promise<History> {
  const database = `hotline_bench_history_${tickets}`;
  const url = databaseUrl(database);
  const admin = new Pool({ connectionString: adminUrl(), max: 1 });
  const { rows: exists } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  const today = shanghaiDay(new Date());
  if (exists.length && !regenerate) {
    const pool = new Pool({ connectionString: url, max: 1 });
    const known = await meta(pool);
    if (known?.generator === GENERATOR && known.tickets === String(tickets) && known.complete === 'true') {
      await migrateServiceSchema(serviceDataSourceOptions('metrics', { DATABASE_URL: url }, METRICS_DATABASE));
      const t = await totals(pool, database);
      await pool.end();
      await admin.end();
      const reusedDepartments = JSON.parse(known.departments) as Department[];
      log(`  reusing ${database} (generated ${known.generatedAt}, ${t.tickets.toLocaleString()} tickets, ${t.timeline.toLocaleString()} events, ${(t.sizeBytes / 1024 ** 3).toFixed(1)} GB)`);
      if (known.lastDay !== addDays(today, -1)) log(`  (its year ends ${known.lastDay}; --regenerate-history moves it to yesterday)`);
      return { database, url, ...t, departments: reusedDepartments, generatedSeconds: Number(known.generatedSeconds), recountSeconds: Number(known.recountSeconds), reused: true };
    }
    await pool.end();
  }
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  await migrateServiceSchema(serviceDataSourceOptions('metrics', { DATABASE_URL: url }, METRICS_DATABASE));

  const pool = new Pool({ connectionString: url, max: 2, options: '-c synchronous_commit=off -c work_mem=256MB -c maintenance_work_mem=512MB -c jit=off' });
  await pool.query('CREATE SCHEMA bench_history');
  await pool.query('CREATE TABLE bench_history.meta (key text PRIMARY KEY, value text NOT NULL)');
  await pool.query('CREATE TABLE bench_history.department (n int PRIMARY KEY, id uuid NOT NULL, name text NOT NULL, region text)');
  for (const [n, d] of departments.entries()) {
    await pool.query('INSERT INTO bench_history.department VALUES ($1, $2, $3, $4)', [n, d.id, d.name, d.region]);
  }
  await pool.query(UUID_FUNCTION);
  await pool.query(TICKETS_FUNCTION);
  const perDay = Math.ceil(tickets / HISTORY_DAYS);
  const lastDay = addDays(today, -1);
  const firstDay = addDays(lastDay, -(HISTORY_DAYS - 1));
  log(`  generating ${database}: ${(perDay * HISTORY_DAYS).toLocaleString()} tickets (${perDay.toLocaleString()} a day, ${departments.length} departments) from ${firstDay} to ${lastDay}`);
  const t0 = Date.now();
  const months = monthsOf(firstDay, lastDay);
  // Two months at a time, one a connection: each statement keeps one PostgreSQL backend busy,
  // and the machine has two cores. The counters of adjacent months share rows (a ticket closes
  // in the next month) and their upserts take them in no set order, so they run one at a time.
  let counters: Promise<unknown> = Promise.resolve();
  await onTwoConnections(months, async ({ from, to }) => {
    const s0 = Date.now();
    await pool.query(VIEW_INSERT, [from, to, perDay]);
    const timeline = await pool.query(TIMELINE_INSERT, [from, to, perDay]);
    const counted = counters.then(() => pool.query(COUNTERS_INSERT, [from, to, perDay]));
    counters = counted.catch(() => undefined);
    await counted;
    log(`    ${from} … ${to}: ${timeline.rowCount?.toLocaleString()} events in ${((Date.now() - s0) / 1000).toFixed(0)} s`);
  });
  await pool.query('VACUUM (ANALYZE) metrics.ticket_view');
  await pool.query('VACUUM (ANALYZE) metrics.timeline_entry');
  await pool.query('VACUUM (ANALYZE) metrics.daily_counter');
  // The department table as the service keeps it (department-measures.ts), counted month by
  // month of tickets: what the migration does on an existing database, and what it costs.
  // Two months at a time as well: their tickets are disjoint, and the month sums they share are
  // upserted in one order (ORDER BY in recountStatements), so the two wait for each other at most.
  const r0 = Date.now();
  await onTwoConnections(months, ({ from, to }) =>
    recountDepartmentMeasures(pool, {
      where: `ticket_id IN (SELECT ticket_id FROM metrics.ticket_view WHERE received_at >= $1::timestamp AT TIME ZONE 'Asia/Shanghai' AND received_at < $2::timestamp AT TIME ZONE 'Asia/Shanghai')`,
      params: [from, addDays(to, 1)],
    }),
  );
  await pool.query('VACUUM (ANALYZE) metrics.department_measure_entry');
  const recountSeconds = Math.round((Date.now() - r0) / 1000);
  log(`    department table counted for every ticket in ${recountSeconds} s (two months at a time)`);
  const generatedSeconds = Math.round((Date.now() - t0) / 1000);
  const entries = {
    generator: GENERATOR,
    tickets: String(tickets),
    perDay: String(perDay),
    firstDay,
    lastDay,
    departments: JSON.stringify(departments),
    generatedAt: new Date().toISOString(),
    generatedSeconds: String(generatedSeconds),
    recountSeconds: String(recountSeconds),
    complete: 'true',
  };
  for (const [key, value] of Object.entries(entries)) await pool.query('INSERT INTO bench_history.meta VALUES ($1, $2)', [key, value]);
  const t = await totals(pool, database);
  await pool.end();
  log(`  generated in ${generatedSeconds} s: ${t.tickets.toLocaleString()} tickets, ${t.timeline.toLocaleString()} events, ${t.counters.toLocaleString()} counters, ${(t.sizeBytes / 1024 ** 3).toFixed(1)} GB`);
  return { database, url, ...t, departments, generatedSeconds, recountSeconds, reused: false };
}
