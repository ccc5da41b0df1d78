/**
 * Metrics dashboard with a year of history: 50 departments, ≥ 5 million tickets (the view, every
 * event of each in the timeline, and the daily counters — support/history.ts). The stack's
 * metrics service is swapped for one on the history database (same port: the gateway forwards to
 * it; a Kafka namespace of its own, so it consumes nothing), and the leader's dashboard endpoints
 * are called through the gateway:
 * - cold: the projection version in Redis is moved on before each call (dashboard-cache.ts keys
 *   answers by it), so every answer is computed from PostgreSQL;
 * - warm: the same call again within the cache's 30 s, answered from Redis;
 * - while projections commit: the version moves every 250 ms, as it does while metrics applies
 *   events (LiveUpdates.eventsApplied after every batch).
 */
import http from 'node:http';
import { Client } from 'pg';
import { departmentMeasures } from '../../apps/metrics/src/department-measures/department-measures';
import type { BenchContext, Figure, PhaseRecord, Scenario, ScenarioOutcome } from '../support/context';
import { Department, ensureHistory, History, shanghaiDay } from '../support/history';
import { describeLoad } from '../support/load';
import { measured } from '../support/phase';
import { cpuMsPerOperation, describeCpuMs } from '../support/proc';
import { distribution, Distribution, round } from '../support/stats';

interface Endpoint {
  name: string;
  path: string;
}

function endpoints(departmentId: string): Endpoint[] {
  const today = shanghaiDay(new Date());
  const [y, m] = today.split('-').map(Number);
  const lastMonth = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  const yearAgo = new Date(Date.parse(`${today}T00:00:00Z`) - 365 * 86_400_000).toISOString().slice(0, 10);
  return [
    { name: 'overview', path: '/api/metrics/overview' },
    { name: 'departments', path: `/api/metrics/departments?month=${lastMonth}` },
    { name: 'grading', path: `/api/metrics/grading?month=${lastMonth}` },
    { name: 'trends', path: `/api/metrics/trends?from=${yearAgo}&to=${today}&measure=received` },
    { name: 'trends-department', path: `/api/metrics/trends?from=${yearAgo}&to=${today}&measure=closed&dimension=department&key=${departmentId}` },
    { name: 'lists', path: `/api/metrics/lists?month=${lastMonth}&size=5` },
    { name: 'breakdown', path: `/api/metrics/breakdown?month=${lastMonth}&dimension=region` },
  ];
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/** The gateway gives up on a service after 30 s (apps/gateway/src/proxy/forward-request.ts). */
const GATEWAY_TIMEOUT_MS = 30_000;

/**
 * Cancels the metrics service's statements still running on the history database: when the
 * gateway gives up, nothing cancels the query behind the request, and it holds one of the
 * service's ten connections until it ends.
 */
async function cancelRunaways(url: string, database: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT pg_cancel_backend(pid) FROM pg_stat_activity
        WHERE datname = $1 AND state = 'active' AND application_name = 'hotline-metrics' AND now() - query_start > interval '5 seconds'`,
      [database],
    );
    return rows.length;
  } finally {
    await client.end();
  }
}

/** One GET through the gateway: milliseconds and status (0: no answer). */
function get(base: string, path: string, token: string, timeoutMs = GATEWAY_TIMEOUT_MS + 5_000): Promise<{ ms: number; status: number }> {
  const url = new URL(path, base);
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = http.get(url, { agent, headers: { authorization: `Bearer ${token}` }, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ms: performance.now() - t0, status: res.statusCode ?? 0 }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ ms: performance.now() - t0, status: 0 }));
  });
}

interface EndpointResult {
  name: string;
  cold: Distribution & { statuses: Record<string, number> };
  warm: Distribution & { statuses: Record<string, number> };
}

function summarise(samples: { ms: number; status: number }[]): Distribution & { statuses: Record<string, number> } {
  const statuses: Record<string, number> = {};
  for (const s of samples) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
  const d = distribution(samples.map((s) => s.ms));
  return { ...d, p50: round(d.p50, 1), p90: round(d.p90, 1), p99: round(d.p99, 1), max: round(d.max, 1), min: round(d.min, 1), mean: round(d.mean, 1), statuses };
}

/** The SQL departmentMeasures runs for a month (a read of the kept sums), captured without running it. */
async function departmentsSql(month: string): Promise<{ sql: string; params: unknown[] }> {
  let captured: { sql: string; params: unknown[] } | null = null;
  const fake = { query: async (sql: string, params: unknown[]) => ((captured = { sql, params }), []) };
  await departmentMeasures(fake as never, month);
  if (!captured) throw new Error('departmentMeasures ran no query');
  return captured;
}

/** EXPLAIN ANALYZE of the department table's query on a history, with a time limit. */
async function explainAtScale(url: string, month: string, limitSeconds: number): Promise<{ ms: number | null; nodes: { node: string; ms: number; rows: number; loops: number }[] }> {
  const { sql, params } = await departmentsSql(month);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET statement_timeout = '${limitSeconds}s'`);
    const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
    const plan = (rows[0] as { 'QUERY PLAN': { Plan: PlanNode; 'Execution Time': number }[] })['QUERY PLAN'][0];
    return { ms: plan['Execution Time'], nodes: planNodes(plan.Plan) };
  } catch {
    return { ms: null, nodes: [] };
  } finally {
    await client.end();
  }
}

/** The costliest nodes of a plan (time × loops). */
function planNodes(root: PlanNode): { node: string; ms: number; rows: number; loops: number }[] {
  const nodes: { node: string; ms: number; rows: number; loops: number }[] = [];
  const walk = (n: PlanNode) => {
    const label = [n['Node Type'], n['Relation Name'] ?? n['CTE Name'] ?? '', n['Subplan Name'] ? `[${n['Subplan Name']}]` : '', n['Index Name'] ? `(${n['Index Name']})` : '']
      .filter(Boolean)
      .join(' ');
    nodes.push({ node: label, ms: round(n['Actual Total Time'] * n['Actual Loops'], 0), rows: n['Actual Rows'], loops: n['Actual Loops'] });
    for (const c of n.Plans ?? []) walk(c);
  };
  walk(root);
  return nodes.sort((a, b) => b.ms - a.ms).slice(0, 8);
}

/** Small histories: cheap to generate, and enough to see how the query grows. */
const PROBE_SIZES = [2_500, 5_000, 10_000];

interface ProbePoint {
  tickets: number;
  events: number;
  ms: number | null;
}

/**
 * How the department table's query (department-measures.ts) grows with history: timed directly
 * in PostgreSQL on small generated histories, and its plan's costliest nodes on the largest.
 */
async function departmentsProbe(
  ctx: BenchContext,
  departments: Department[],
  month: string,
): Promise<{ points: ProbePoint[]; exponent: number | null; plan: { node: string; ms: number; rows: number; loops: number }[] }> {
  const { sql, params } = await departmentsSql(month);
  const points: ProbePoint[] = [];
  let plan: { node: string; ms: number; rows: number; loops: number }[] = [];
  for (const tickets of PROBE_SIZES) {
    const h = await ensureHistory(tickets, departments, false, () => undefined);
    const client = new Client({ connectionString: h.url });
    await client.connect();
    try {
      await client.query(`SET statement_timeout = '120s'`);
      let best: number | null = null;
      for (let i = 0; i < 2; i++) {
        const t0 = performance.now();
        try {
          await client.query(sql, params);
          const ms = performance.now() - t0;
          best = best === null ? ms : Math.min(best, ms);
        } catch {
          break;
        }
      }
      points.push({ tickets: h.tickets, events: h.timeline, ms: best === null ? null : round(best, 0) });
      ctx.log(`  department table query on ${h.tickets.toLocaleString()} tickets (${h.timeline.toLocaleString()} events): ${best === null ? '> 120 s' : `${round(best, 0)} ms`}`);
      if (tickets === PROBE_SIZES[1] && best !== null) {
        const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
        plan = planNodes((rows[0] as { 'QUERY PLAN': { Plan: PlanNode }[] })['QUERY PLAN'][0].Plan);
      }
    } finally {
      await client.end();
    }
  }
  const measuredPoints = points.filter((p): p is ProbePoint & { ms: number } => p.ms !== null && p.ms > 0);
  const exponent =
    measuredPoints.length >= 2
      ? round(
          Math.log(measuredPoints[measuredPoints.length - 1].ms / measuredPoints[0].ms) /
            Math.log(measuredPoints[measuredPoints.length - 1].tickets / measuredPoints[0].tickets),
          2,
        )
      : null;
  return { points, exponent, plan };
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'CTE Name'?: string;
  'Subplan Name'?: string;
  'Index Name'?: string;
  'Actual Total Time': number;
  'Actual Rows': number;
  'Actual Loops': number;
  Plans?: PlanNode[];
}

export const metrics: Scenario = {
  name: 'metrics',
  title: 'metrics: dashboard endpoints with a year of history; cold and warm',
  async run(ctx: BenchContext): Promise<ScenarioOutcome> {
    const phases: PhaseRecord[] = [];
    const { stack } = ctx;
    const { rows: deps } = await stack.pool.query<Department>(
      `SELECT id, name, region_code AS region FROM assignment.department WHERE active ORDER BY kind DESC, code LIMIT 50`,
    );
    if (deps.length < 50) throw new Error(`only ${deps.length} departments seeded; the history needs 50`);
    const history: History = await ensureHistory(ctx.options.historyTickets, deps, ctx.options.regenerateHistory, ctx.log);

    const prefix = `${stack.redisPrefix}history:`;
    const port = stack.running.get('metrics')?.port ?? stack.ports.metrics;
    ctx.log(`  metrics on ${history.database} in place of the stack's (port ${port})`);
    await stack.stop('metrics');
    let restored = false;
    const restore = async () => {
      if (restored) return;
      restored = true;
      await stack.stop('metrics@history');
      await stack.start('metrics', 'metrics', {}, port);
    };
    try {
      await stack.start('metrics', 'metrics@history', { DATABASE_URL: history.url, KAFKA_NAMESPACE: `${stack.namespace}history.`, REDIS_KEY_PREFIX: prefix }, port);
      const token = await stack.token('leader');
      const list = endpoints(history.departments[0].id);
      const bump = () => stack.redis.incr(`${prefix}metrics:version`);
      const call = async (e: Endpoint) => {
        const r = await get(stack.gatewayUrl, e.path, token);
        if (r.status !== 200) {
          const cancelled = await cancelRunaways(history.url, history.database);
          if (cancelled) ctx.log(`  ${e.name}: answer ${r.status} after ${round(r.ms, 0)} ms; cancelled ${cancelled} statement(s) still running behind it`);
        }
        return r;
      };

      // First calls (PostgreSQL reads the tables into its cache): an endpoint that cannot
      // answer within the gateway's 30 s is reported as such and not called again.
      const first: Record<string, { ms: number; status: number }> = {};
      for (const e of list) first[e.name] = await call(e);
      const answerable = list.filter((e) => first[e.name].status === 200);
      const unanswerable = list.filter((e) => first[e.name].status !== 200);
      ctx.log(`  first calls: ${list.map((e) => `${e.name} ${first[e.name].status} in ${round(first[e.name].ms, 0)} ms`).join(', ')}`);

      const coldN = ctx.pick(10, 3);
      const budgetMs = ctx.pick(240_000, 90_000);
      const cold = await measured(
        ctx,
        'metrics: dashboard, cold (cache bypassed)',
        async () => {
          const out: Record<string, { ms: number; status: number }[]> = {};
          for (const e of answerable) {
            const samples: { ms: number; status: number }[] = [];
            const t0 = Date.now();
            while (samples.length < coldN && Date.now() - t0 < budgetMs) {
              await bump();
              samples.push(await call(e));
            }
            out[e.name] = samples;
            const d = summarise(samples);
            ctx.log(`  cold ${e.name.padEnd(18)} n=${d.n} p50 ${d.p50} ms p99 ${d.p99} ms ${JSON.stringify(d.statuses)}`);
          }
          return out;
        },
        { profile: ['metrics@history'] },
      );
      phases.push(cold.record);

      const warmN = ctx.pick(300, 60);
      const warm = await measured(
        ctx,
        'metrics: dashboard, warm (answered from the cache)',
        async () => {
          const out: Record<string, { ms: number; status: number }[]> = {};
          for (const e of answerable) {
            await call(e); // fills the cache under the current version
            const samples: { ms: number; status: number }[] = [];
            for (let i = 0; i < warmN; i++) samples.push(await get(stack.gatewayUrl, e.path, token));
            out[e.name] = samples;
          }
          return out;
        },
        { waits: false },
      );
      phases.push(warm.record);
      const results: EndpointResult[] = [];
      for (const e of answerable) {
        const r = { name: e.name, cold: summarise(cold.result[e.name]), warm: summarise(warm.result[e.name]) };
        results.push(r);
        ctx.log(`  warm ${e.name.padEnd(18)} n=${r.warm.n} p50 ${r.warm.p50} ms p99 ${r.warm.p99} ms`);
      }

      let concurrentD: Distribution | null = null;
      let concurrentOther: number | undefined;
      let churnOther: number | undefined;
      let concurrentRate = 0;
      let concurrentCpu: ReturnType<typeof cpuMsPerOperation> | null = null;
      let churnS: ReturnType<typeof summarise> | null = null;
      const churnMs = ctx.pick(60_000, 20_000);
      if (answerable.length) {
        // Warm, 16 leaders at once, every endpoint that answers.
        await Promise.all(answerable.map((e) => get(stack.gatewayUrl, e.path, token)));
        const concurrent = await measured(
          ctx,
          'metrics: dashboard, warm, 16 connections',
          () =>
            ctx.load.run({
              baseUrl: stack.gatewayUrl,
              token,
              requests: answerable.map((e) => ({ method: 'GET', path: e.path })),
              mode: 'concurrency',
              concurrency: 16,
              warmUpMs: 2_000,
              durationMs: ctx.pick(17_000, 7_000),
            }),
          // With --profile: what each warm answer costs the two processes it passes through.
          { waits: false, profile: ['metrics@history', 'gateway'] },
        );
        phases.push(concurrent.record);
        concurrentD = distribution(concurrent.result.latencies);
        concurrentRate = (concurrent.result.measuredOk * 1000) / concurrent.result.measuredMs;
        concurrentOther = concurrent.record.cpu.other;
        concurrentCpu = cpuMsPerOperation(concurrent.record.cpu, concurrentRate, ['gateway', 'metrics@history']);
        ctx.log(`  warm, 16 connections: ${describeLoad(concurrent.result)}; p50 ${round(concurrentD.p50, 1)} ms, p99 ${round(concurrentD.p99, 1)} ms`);

        // While projections commit: the version moves every 250 ms.
        const churn = await measured(
          ctx,
          'metrics: dashboard while projections commit (version moves every 250 ms)',
          async () => {
            const samples: { ms: number; status: number }[] = [];
            const timer = setInterval(() => void bump(), 250);
            const t0 = Date.now();
            let i = 0;
            while (Date.now() - t0 < churnMs) samples.push(await call(answerable[i++ % answerable.length]));
            clearInterval(timer);
            return samples;
          },
          { waits: false },
        );
        phases.push(churn.record);
        churnS = summarise(churn.result);
        churnOther = churn.record.cpu.other;
        ctx.log(`  while committing: n=${churnS.n} p50 ${churnS.p50} ms p99 ${churnS.p99} ms ${JSON.stringify(churnS.statuses)}`);
      }

      const month = list[1].path.split('month=')[1];
      // What the endpoints that gave up would have taken: the department table's query, run
      // directly in PostgreSQL on the whole history (EXPLAIN ANALYZE: the time and where it goes).
      let atScale: { ms: number | null; nodes: { node: string; ms: number; rows: number; loops: number }[] } | null = null;
      if (unanswerable.length) {
        atScale = await explainAtScale(history.url, month, ctx.pick(600, 180));
        ctx.log(`  the department table's query on the whole history: ${atScale.ms === null ? 'did not finish' : `${round(atScale.ms / 1000, 1)} s`}; slowest nodes ${JSON.stringify(atScale.nodes.slice(0, 4))}`);
      }
      const probe = await departmentsProbe(ctx, history.departments, month);
      ctx.log(`  department table read grows as tickets^${probe.exponent}; costliest plan nodes at 5,000 tickets: ${JSON.stringify(probe.plan.slice(0, 4))}`);

      const other = cold.record.cpu.other;
      const scale = `${history.tickets.toLocaleString()} tickets, ${history.timeline.toLocaleString()} events`;
      const warmP99 = results.length ? Math.max(...results.map((r) => r.warm.p99)) : null;
      const figures: Figure[] = [
        ...list.map((e): Figure => {
          const r = results.find((x) => x.name === e.name);
          if (!r) {
            return {
              key: `metrics.cold.${e.name}`,
              label: `dashboard ${e.name} p99, cold`,
              value: null,
              unit: 'ms',
              target: { op: '<=', value: 50 },
              otherLoad: other,
              note: `no answer within the gateway's 30 s (${first[e.name].status || 'no answer'} after ${round(first[e.name].ms / 1000, 1)} s): so never cached either`,
            };
          }
          return {
            key: `metrics.cold.${e.name}`,
            label: `dashboard ${e.name} p99, cold (${r.cold.n} calls)`,
            value: r.cold.p99,
            unit: 'ms',
            target: { op: '<=', value: 50 },
            otherLoad: other,
            note: Object.keys(r.cold.statuses).some((x) => x !== '200') ? `answers ${JSON.stringify(r.cold.statuses)}` : undefined,
          };
        }),
        {
          key: 'metrics.warm',
          label: `dashboard p99, warm (worst endpoint that answers, ${warmN} calls each)`,
          value: warmP99,
          unit: 'ms',
          target: { op: '<=', value: 50 },
          otherLoad: warm.record.cpu.other,
          note: `${results.map((r) => `${r.name} ${r.warm.p99}`).join(', ')}${unanswerable.length ? `; never cached: ${unanswerable.map((e) => e.name).join(', ')}` : ''}`,
        },
        {
          key: 'metrics.warm-16',
          label: 'dashboard p99, warm, 16 connections',
          value: concurrentD ? round(concurrentD.p99, 1) : null,
          unit: 'ms',
          target: { op: '<=', value: 50 },
          otherLoad: concurrentOther,
          note: `${round(concurrentRate, 0)} answers/s`,
        },
        {
          key: 'metrics.warm-16-cpu',
          label: 'CPU per warm answer with 16 connections, gateway + metrics',
          value: concurrentCpu ? round(concurrentCpu.total, 2) : null,
          unit: 'ms',
          otherLoad: concurrentOther,
          note: concurrentCpu ? `${describeCpuMs(concurrentCpu.byPart)} ms` : undefined,
        },
        {
          key: 'metrics.committing',
          label: 'dashboard p99 while projections commit (cache version moving)',
          value: churnS ? churnS.p99 : null,
          unit: 'ms',
          target: { op: '<=', value: 50 },
          otherLoad: churnOther,
        },
        ...(atScale
          ? [
              {
                key: 'metrics.departments-query-direct',
                label: `department table query run directly on the whole history (${month})`,
                value: atScale.ms === null ? null : round(atScale.ms, 0),
                unit: 'ms',
                note: atScale.ms === null ? `not finished within ${ctx.pick(600, 180)} s` : `slowest plan nodes: ${atScale.nodes.slice(0, 3).map((n) => `${n.node} ${n.ms} ms`).join('; ')}`,
              } satisfies Figure,
            ]
          : []),
        {
          key: 'metrics.department-recount',
          label: 'department table counted from the timeline for every ticket of the history (the migration)',
          value: history.recountSeconds,
          unit: 's',
          note:
            history.recountSeconds === null
              ? undefined
              : `${round((history.recountSeconds * 1000) / history.tickets, 3)} ms per ticket; the live projection recounts each batch's tickets so`,
        },
        {
          key: 'metrics.departments-query-exponent',
          label: 'department table read: time grows as tickets^k (k measured at 2.5k–10k tickets)',
          value: probe.exponent,
          unit: '',
          note: probe.points.map((p) => `${p.tickets.toLocaleString()} tickets ${p.ms === null ? '> 120 s' : `${p.ms} ms`}`).join(', '),
        },
      ];
      ctx.log(`  history: ${scale}`);
      return {
        figures,
        details: {
          history: { database: history.database, tickets: history.tickets, timeline: history.timeline, counters: history.counters, sizeGb: round(history.sizeBytes / 1024 ** 3, 1), generatedSeconds: history.generatedSeconds, recountSeconds: history.recountSeconds, reused: history.reused },
          first,
          endpoints: results,
          warm16: concurrentD,
          committing: churnS,
          departmentsProbe: probe,
          departmentsAtScale: atScale,
        },
        phases,
      };
    } finally {
      await cancelRunaways(history.url, history.database).catch(() => 0);
      await restore();
    }
  },
};
