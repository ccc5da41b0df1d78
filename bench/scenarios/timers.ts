/**
 * Durable timers (apps/supervision/src/timers/sla-timer-scanner.ts) with a million open clocks:
 * 1,000,000 running sign-for clocks are written straight into supervision.sla_clock (with their
 * supervised tickets), all due in the coming 30 days but 10,000 that fall due one after another
 * within one minute. The real supervision service's scanner fires them; each firing writes
 * ticket.sla-warning (and ticket.escalated) to the outbox, which the relay publishes.
 *
 * Lag = when the warning happened (outbox row, the scanner's transaction) or reached Kafka
 * (message timestamp) minus the clock's due instant. Duplicates: more than one warning per clock.
 * Scanner CPU while idle: the supervision process's CPU with the million clocks, none due.
 */
import type { BenchContext, Figure, PhaseRecord, Scenario, ScenarioOutcome } from '../support/context';
import { TOPIC, waitDrained } from '../support/flow';
import { readTopics } from '../support/kafka-read';
import { measured } from '../support/phase';
import { cpuSecondsOf } from '../support/proc';
import { distribution, round, sleep } from '../support/stats';
import { waitForOutbox } from './intake';

/** Percent of a core used while idle by supervision (scanner, consumers, relay) and, for comparison, by assignment (consumers and relay, no scanner). */
async function idleCpu(ctx: BenchContext, seconds: number): Promise<{ supervision: number; assignment: number }> {
  const pids = { supervision: ctx.stack.pidOf('supervision') as number, assignment: ctx.stack.pidOf('assignment') as number };
  const a = { supervision: cpuSecondsOf(pids.supervision) ?? 0, assignment: cpuSecondsOf(pids.assignment) ?? 0 };
  const t = Date.now();
  await sleep(seconds * 1000);
  const s = (Date.now() - t) / 1000;
  return {
    supervision: (100 * ((cpuSecondsOf(pids.supervision) ?? 0) - a.supervision)) / s,
    assignment: (100 * ((cpuSecondsOf(pids.assignment) ?? 0) - a.assignment)) / s,
  };
}

async function scanQueryMs(ctx: BenchContext): Promise<number> {
  const client = await ctx.stack.pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ 'QUERY PLAN': { 'Execution Time': number }[] }>(
      `EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM supervision.sla_clock c
        WHERE c.status = 'running' AND c.next_due_at <= now() ORDER BY c.next_due_at ASC LIMIT 100 FOR UPDATE SKIP LOCKED`,
    );
    return rows[0]['QUERY PLAN'][0]['Execution Time'];
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

export const timers: Scenario = {
  name: 'timers',
  title: 'timers: a million open clocks, 10,000 due within a minute',
  async run(ctx): Promise<ScenarioOutcome> {
    const phases: PhaseRecord[] = [];
    const { stack } = ctx;
    const total = ctx.pick(1_000_000, 100_000);
    const due = ctx.pick(10_000, 2_000);
    const background = total - due;
    const idleSeconds = ctx.pick(30, 10);
    await waitDrained(ctx, 60_000);

    const emptyIdle = await idleCpu(ctx, idleSeconds);
    await stack.pool.query('CREATE SCHEMA IF NOT EXISTS bench');
    // md5 of a seed shaped as a version-4 UUID: deterministic, and valid where events validate it.
    await stack.pool.query(
      `CREATE OR REPLACE FUNCTION bench.uuid_of(seed text) RETURNS uuid LANGUAGE sql IMMUTABLE AS
       $$ SELECT (substr(md5(seed), 1, 12) || '4' || substr(md5(seed), 14, 3) || '8' || substr(md5(seed), 18, 15))::uuid $$`,
    );
    const [{ id: department }] = (await stack.pool.query<{ id: string }>(`SELECT id FROM assignment.department WHERE kind = 'region-bureau' ORDER BY code LIMIT 1`)).rows;

    ctx.log(`  writing ${background.toLocaleString()} open clocks due in the next 30 days`);
    const w0 = Date.now();
    const chunk = 100_000;
    const insert = async (from: number, to: number, dueSql: string, deadlineSql: string, params: unknown[]) => {
      await stack.pool.query(
        `INSERT INTO supervision.supervised_ticket (ticket_id, number, demand_type, urgency, department_id, region_code, status, correlation_id)
         SELECT bench.uuid_of('t' || g), '12333-29991231-' || lpad(g::text, 7, '0'), 'complaint', 'normal', $3, '500103', 'handling', bench.uuid_of('t' || g)
           FROM generate_series($1::int, $2::int) g`,
        [from, to, department],
      );
      await stack.pool.query(
        `INSERT INTO supervision.sla_clock (id, ticket_id, kind, department_id, status, started_at, warning_at, deadline, limit_amount,
                                            limit_unit, policy_version, calendar_confirmed, next_due_at, started_by_event_id, stage)
         SELECT bench.uuid_of('c' || g), bench.uuid_of('t' || g), 'sign-for', $3, 'running', now() - interval '1 hour', d.due, d.deadline, 1,
                'working-days', 1, true, d.due, bench.uuid_of('e' || g), 'warning'
           FROM generate_series($1::int, $2::int) g, LATERAL (SELECT ${dueSql} AS due, ${deadlineSql} AS deadline) d`,
        [from, to, department, ...params],
      );
    };
    for (let from = 1; from <= background; from += chunk) {
      const to = Math.min(background, from + chunk - 1);
      await insert(from, to, `now() + interval '1 hour' + (g % 2592000) * interval '1 second'`, `now() + interval '2 hours' + (g % 2592000) * interval '1 second'`, []);
    }
    await stack.pool.query('ANALYZE supervision.sla_clock');
    await stack.pool.query('ANALYZE supervision.supervised_ticket');
    const writeSeconds = (Date.now() - w0) / 1000;
    const { rows: counts } = await stack.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM supervision.sla_clock WHERE status = 'running'`);
    ctx.log(`  ${counts[0].n.toLocaleString()} running clocks in ${writeSeconds.toFixed(0)} s`);

    const idleRecord = await measured(ctx, `timers: idle, ${counts[0].n.toLocaleString()} clocks, none due`, () => idleCpu(ctx, idleSeconds), { waits: false });
    phases.push(idleRecord.record);
    const fullIdle = idleRecord.result;
    const scanMs = await scanQueryMs(ctx);
    ctx.log(
      `  supervision CPU while idle: ${fullIdle.supervision.toFixed(2)} % of a core (${emptyIdle.supervision.toFixed(2)} % before the clocks were written; ` +
        `assignment, which has consumers and a relay but no scanner: ${fullIdle.assignment.toFixed(2)} %); one scan query ${scanMs.toFixed(2)} ms`,
    );

    // The due clocks: one every 60 s / due, starting 20 s from now.
    const lead = ctx.pick(20_000, 15_000);
    const { rows: nowRows } = await stack.pool.query<{ now: Date }>('SELECT clock_timestamp() AS now');
    const firstDue = new Date(nowRows[0].now.getTime() + lead);
    const lastDue = new Date(firstDue.getTime() + 60_000);
    await stack.pool.query('DROP TABLE IF EXISTS bench.timer_due');
    await stack.pool.query('CREATE TABLE bench.timer_due (clock_id uuid PRIMARY KEY, due_at timestamptz NOT NULL)');
    await insert(background + 1, total, `$4::timestamptz + (g - $1::int) * ($5::float8 * interval '1 millisecond')`, `$4::timestamptz + interval '1 day'`, [firstDue, 60_000 / due]);
    await stack.pool.query(
      `INSERT INTO bench.timer_due SELECT id, next_due_at FROM supervision.sla_clock WHERE ticket_id IN (SELECT bench.uuid_of('t' || g) FROM generate_series($1::int, $2::int) g)`,
      [background + 1, total],
    );
    ctx.log(`  ${due.toLocaleString()} clocks fall due between ${firstDue.toISOString()} and ${lastDue.toISOString()}`);

    const { record } = await measured(
      ctx,
      `timers: ${due.toLocaleString()} clocks due within a minute`,
      async () => {
        const until = lastDue.getTime() + ctx.pick(120_000, 60_000);
        for (;;) {
          await sleep(2_000);
          const { rows } = await stack.pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM bench.timer_due d JOIN supervision.sla_clock c ON c.id = d.clock_id WHERE c.stage <> 'warning'`,
          );
          if ((rows[0].n >= due && Date.now() > lastDue.getTime()) || Date.now() > until) return rows[0].n;
        }
      },
      { profile: ['supervision'] },
    );
    phases.push(record);
    await waitForOutbox(ctx, 'supervision');

    const { rows: fired } = await stack.pool.query<{ clock: string; lag_ms: number; published_lag_ms: number | null }>(
      `SELECT d.clock_id AS clock, extract(epoch FROM o.created_at - d.due_at) * 1000 AS lag_ms,
              extract(epoch FROM o.published_at - d.due_at) * 1000 AS published_lag_ms
         FROM supervision.outbox_message o JOIN bench.timer_due d ON d.clock_id = (o.message::jsonb -> 'payload' ->> 'clockId')::uuid
        WHERE o.event_type = 'ticket.sla-warning'`,
    );
    const perClock = new Map<string, number>();
    for (const f of fired) perClock.set(f.clock, (perClock.get(f.clock) ?? 0) + 1);
    const duplicates = [...perClock.values()].reduce((sum, n) => sum + n - 1, 0);
    const firedLag = distribution(fired.map((f) => Number(f.lag_ms)));

    // When each warning reached Kafka.
    const dueAt = new Map((await stack.pool.query<{ clock_id: string; due_at: Date }>('SELECT clock_id, due_at FROM bench.timer_due')).rows.map((r) => [r.clock_id, r.due_at.getTime()]));
    const onKafka = new Map<string, number[]>();
    await readTopics(stack.kafka, stack.admin, [stack.wire(TOPIC.supervision)], (m) => {
      if (m.type !== 'ticket.sla-warning') return;
      const clockId = (JSON.parse(m.value) as { payload: { clockId: string } }).payload.clockId;
      if (!dueAt.has(clockId)) return;
      const list = onKafka.get(clockId) ?? [];
      list.push(m.timestamp);
      onKafka.set(clockId, list);
    });
    const kafkaLag = distribution([...onKafka].map(([clock, ts]) => Math.min(...ts) - (dueAt.get(clock) as number)));
    const kafkaDuplicates = [...onKafka.values()].reduce((sum, ts) => sum + ts.length - 1, 0);
    const { rows: escalated } = await stack.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM supervision.outbox_message o
        WHERE o.event_type = 'ticket.escalated'
          AND o.message_key IN (SELECT c.ticket_id::text FROM supervision.sla_clock c JOIN bench.timer_due d ON d.clock_id = c.id)`,
    );
    ctx.log(
      `  ${perClock.size}/${due} clocks fired (${escalated[0].n} escalations): lag from due to the scanner's transaction p50 ${round(firedLag.p50, 0)} ms, ` +
        `p99 ${round(firedLag.p99, 0)} ms, max ${round(firedLag.max, 0)} ms; to Kafka p50 ${round(kafkaLag.p50, 0)} ms, p99 ${round(kafkaLag.p99, 0)} ms; ` +
        `duplicates ${duplicates} (outbox), ${kafkaDuplicates} (Kafka deliveries)`,
    );
    await waitDrained(ctx, ctx.pick(300_000, 120_000));

    const figures: Figure[] = [
      {
        key: 'timers.lag-p99',
        label: `timer lag p99, due → event on Kafka (${due.toLocaleString()} due in a minute among ${total.toLocaleString()} clocks)`,
        value: round(kafkaLag.p99, 0),
        unit: 'ms',
        target: { op: '<=', value: 2000 },
        otherLoad: record.cpu.other,
        note: `p50 ${round(kafkaLag.p50, 0)} ms, max ${round(kafkaLag.max, 0)} ms; due → fired (outbox) p99 ${round(firedLag.p99, 0)} ms; ${onKafka.size}/${due} on Kafka`,
      },
      {
        key: 'timers.duplicates',
        label: 'timers fired twice (outbox rows beyond one warning per clock)',
        value: duplicates,
        unit: 'events',
        target: { op: '==', value: 0 },
        note: `${kafkaDuplicates} duplicate deliveries on Kafka; ${perClock.size} clocks fired once`,
      },
      {
        key: 'timers.idle-cpu',
        label: `supervision CPU while idle with ${total.toLocaleString()} open clocks`,
        value: round(fullIdle.supervision, 2),
        unit: '% of a core',
        otherLoad: idleRecord.record.cpu.other,
        note: `${round(emptyIdle.supervision, 2)} % with no clocks; assignment (consumers and relay, no scanner) ${round(fullIdle.assignment, 2)} %; one scan query ${scanMs.toFixed(2)} ms`,
      },
    ];
    return {
      figures,
      details: { total, due, writeSeconds, firedLag, kafkaLag, duplicates, kafkaDuplicates, escalations: escalated[0].n, idleCpu: { before: emptyIdle, after: fullIdle }, scanQueryMs: scanMs },
      phases,
    };
  },
};
