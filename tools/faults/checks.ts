/**
 * The verdict: every service's view of every ticket against the generator's record, the SLA
 * timers against their clocks, the counters against the events, the dead-letter queues against
 * the poison injected.
 */
import { DeadLetterEntry, listDeadLetters } from '@hotline/messaging';
import { ServiceName, Topics } from '@hotline/contracts';
import { Client } from 'pg';
import { eventKey, ExpectedOutcome, possibleOutcomes, TIMER_TYPES } from './expectations';
import { FaultRecord, PoisonRecord } from './faults';
import { GatewayClient } from './http';
import { Log } from './servers';
import { TicketTruth } from './workload';
import type { TimelineItem } from '../../e2e/support/gateway-client';

/** Who consumes each events topic: consumer group (the dead letter's `consumer`) and its service. */
export const CONSUMERS: Record<string, { service: ServiceName; consumer: string }[]> = {
  [Topics.intakeEvents]: [
    { service: 'assignment', consumer: 'assignment' },
    { service: 'supervision', consumer: 'supervision.intake' },
    { service: 'metrics', consumer: 'metrics' },
  ],
  [Topics.assignmentEvents]: [
    { service: 'supervision', consumer: 'supervision' },
    { service: 'metrics', consumer: 'metrics' },
  ],
  [Topics.supervisionEvents]: [
    { service: 'assignment', consumer: 'assignment.supervision' },
    { service: 'intake', consumer: 'intake.supervision' },
    { service: 'metrics', consumer: 'metrics' },
  ],
};

interface ClockRow {
  id: string;
  ticket_id: string;
  kind: string;
  status: string;
  stage: string;
  warning_at: Date;
  deadline: Date;
  stopped_at: Date | null;
  limit_unit: string;
  started_by_event_id: string;
}

export interface TicketVerdict {
  seq: number;
  id: string;
  script: string;
  lost: string[];
  duplicated: string[];
  wrongState: string[];
  order: string[];
}

export interface CheckResult {
  checkedTickets: number;
  accepted: number;
  orphans: number;
  unverifiable: string[];
  lost: TicketVerdict[];
  duplicated: TicketVerdict[];
  wrongState: TicketVerdict[];
  orderViolations: TicketVerdict[];
  timers: { clocks: number; warnings: number; overdues: number; escalations: number; firedTwice: string[]; missed: string[]; early: string[] };
  counters: { inconsistentTotals: string[] };
  poison: { injected: number; expectedLetters: number; found: number; missing: string[]; wrongKind: string[]; duplicates: number };
  unexpectedDeadLetters: string[];
  anomalies: string[];
}

/**
 * A stage that fell due must have fired once its clock had run this long past it with the
 * scanner up (it scans every second; the margin absorbs a loaded machine).
 */
const MUST_FIRE_WITHIN_MS = 10_000;

/** Outage windows of the SLA scanner (supervision down, PostgreSQL down), with a margin after. */
function scannerOutages(faults: FaultRecord[], checkTime: number): [number, number][] {
  return faults
    .filter((f) => (f.kind === 'kill' && f.target === 'supervision') || f.kind === 'postgres')
    .map((f): [number, number] => [f.at - 1_000, (f.recoveredAt ?? checkTime) + 8_000]);
}

/** Milliseconds of [from, to] outside every outage window. */
function healthyMs(from: number, to: number, outages: [number, number][]): number {
  if (to <= from) return 0;
  const cut = outages
    .map(([a, b]): [number, number] => [Math.max(a, from), Math.min(b, to)])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let covered = 0;
  let end = from;
  for (const [a, b] of cut) {
    const start = Math.max(a, end);
    if (b > start) covered += b - start;
    end = Math.max(end, b);
  }
  return to - from - covered;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]);
      }
    }),
  );
  return results;
}

export interface CheckContext {
  databaseUrl: string;
  http: GatewayClient;
  brokers: string[];
  namespace: string;
  runTag: string;
  tickets: TicketTruth[];
  faults: FaultRecord[];
  poison: PoisonRecord[];
  checkTime: number;
  log: Log;
}

export async function checkEverything(ctx: CheckContext): Promise<CheckResult> {
  const db = new Client({ connectionString: ctx.databaseUrl });
  db.on('error', () => undefined);
  await db.connect();
  try {
    return await runChecks(ctx, db);
  } finally {
    await db.end().catch(() => undefined);
  }
}

async function runChecks(ctx: CheckContext, db: Client): Promise<CheckResult> {
  const result: CheckResult = {
    checkedTickets: 0,
    accepted: 0,
    orphans: 0,
    unverifiable: [],
    lost: [],
    duplicated: [],
    wrongState: [],
    orderViolations: [],
    timers: { clocks: 0, warnings: 0, overdues: 0, escalations: 0, firedTwice: [], missed: [], early: [] },
    counters: { inconsistentTotals: [] },
    poison: { injected: ctx.poison.length, expectedLetters: 0, found: 0, missing: [], wrongKind: [], duplicates: 0 },
    unexpectedDeadLetters: [],
    anomalies: [],
  };

  // Tickets the generator knows (2xx), plus tickets of this run whose creation was in doubt but
  // which intake did record: those owe the same consistency, with nothing done after receipt.
  const truths = ctx.tickets.filter((t) => t.id);
  result.accepted = truths.length;
  const known = new Set(truths.map((t) => t.id));
  const { rows: runTickets } = await db.query<{ id: string; title: string }>(`SELECT id, title FROM intake.ticket WHERE title LIKE $1`, [
    `[${ctx.runTag}#%`,
  ]);
  for (const row of runTickets.filter((r) => !known.has(r.id))) {
    const seq = Number(/#(\d+)\]/.exec(row.title)?.[1]);
    const original = ctx.tickets.find((t) => t.seq === seq);
    if (!original || !/\]\s\S+$/.test(row.title)) {
      result.anomalies.push(`intake has a ticket nobody created on purpose: ${row.id} "${row.title}"`);
      continue;
    }
    const create = original.actions[0];
    if (!create?.doubtful) {
      result.anomalies.push(`ticket #${seq} exists twice in intake: ${original.id ?? '(no 2xx)'} and ${row.id}`);
      continue;
    }
    // Recorded by an attempt in doubt; the later attempts in doubt may have been linked to it.
    result.orphans += 1;
    const repeats = Array.from({ length: create.doubtful - 1 }, () => ({ ...create, type: 'repeat' as const, status: 'in-doubt' as const }));
    truths.push({ ...original, id: row.id, actions: [{ ...create, status: 'applied' }, ...repeats] });
  }
  for (const t of ctx.tickets) result.anomalies.push(...t.anomalies.map((a) => `ticket #${t.seq} ${t.id ?? ''}: ${a}`));

  const ids = truths.map((t) => t.id as string);
  const byId = <R extends { id: string }>(rows: R[]) => new Map(rows.map((r) => [r.id, r]));
  const intake = byId(
    (await db.query<{ id: string; closed_at: Date | null; repeat_count: number }>(`SELECT id, closed_at, repeat_count FROM intake.ticket WHERE id = ANY($1)`, [ids])).rows,
  );
  const assignment = byId(
    (
      await db.query<{ id: string; status: string; department_id: string | null }>(
        `SELECT ticket_id AS id, status, department_id FROM assignment.ticket_assignment WHERE ticket_id = ANY($1)`,
        [ids],
      )
    ).rows,
  );
  const supervision = byId(
    (
      await db.query<{ id: string; status: string; escalation_level: number; repeat_count: number }>(
        `SELECT ticket_id AS id, status, escalation_level, repeat_count FROM supervision.supervised_ticket WHERE ticket_id = ANY($1)`,
        [ids],
      )
    ).rows,
  );
  const metricsRows = byId(
    (
      await db.query<{ id: string; status: string; department_id: string | null; repeat_count: number }>(
        `SELECT ticket_id AS id, status, department_id, repeat_count FROM metrics.ticket_view WHERE ticket_id = ANY($1)`,
        [ids],
      )
    ).rows,
  );
  const clocks = (await db.query<ClockRow>(`SELECT id, ticket_id, kind, status, stage, warning_at, deadline, stopped_at, limit_unit, started_by_event_id FROM supervision.sla_clock WHERE ticket_id = ANY($1)`, [ids])).rows;
  const contributions = (
    await db.query<{ ticket_id: string; dimension: string; dimension_key: string; measure: string; value: number }>(
      `SELECT ticket_id, dimension, dimension_key, measure, sum(value)::int AS value
         FROM metrics.counter_contribution WHERE ticket_id = ANY($1) GROUP BY 1, 2, 3, 4`,
      [ids],
    )
  ).rows;
  const inconsistent = await db.query<{ day: string; dimension: string; dimension_key: string; measure: string; counter: string | null; contributed: string | null }>(
    `SELECT coalesce(d.day, c.day)::text AS day, coalesce(d.dimension, c.dimension) AS dimension,
            coalesce(d.dimension_key, c.dimension_key) AS dimension_key, coalesce(d.measure, c.measure) AS measure,
            d.value::text AS counter, c.value::text AS contributed
       FROM metrics.daily_counter d
       FULL JOIN (SELECT day, dimension, dimension_key, measure, sum(value) AS value
                    FROM metrics.counter_contribution GROUP BY 1, 2, 3, 4) c
         USING (day, dimension, dimension_key, measure)
      WHERE d.value IS DISTINCT FROM c.value`,
  );
  result.counters.inconsistentTotals = inconsistent.rows.map(
    (r) => `daily counter ${r.day} ${r.dimension}/${r.dimension_key}/${r.measure} = ${r.counter ?? 'none'}, contributions sum to ${r.contributed ?? 'none'}`,
  );

  // Through the API, as the console would read it: the ticket view and the timeline.
  const viewed = await mapLimit(truths, 6, async (t) => {
    const view = await ctx.http.as('supervisor', 'GET', `/api/tickets/${t.id}`);
    const timeline = await ctx.http.as('supervisor', 'GET', `/api/tickets/${t.id}/timeline`);
    return { view, timeline };
  });

  const outages = scannerOutages(ctx.faults, ctx.checkTime);
  // When supervision applied each event (its inbox row): a clock exists, and stops, in its
  // database only then — an event that sat in a topic while the broker was down starts (or
  // stops) its clock late, whatever instant the clock counts from.
  const eventIds = viewed.flatMap(({ timeline }) => (timeline.kind === 'ok' ? (timeline.body as TimelineItem[]).map((e) => e.eventId) : []));
  const appliedAt = new Map(
    (
      await db.query<{ event_id: string; at: Date }>(
        `SELECT event_id, min(processed_at) AS at FROM supervision.processed_event WHERE event_id = ANY($1) GROUP BY event_id`,
        [eventIds],
      )
    ).rows.map((r) => [r.event_id, r.at.getTime()]),
  );
  for (const [i, t] of truths.entries()) {
    result.checkedTickets += 1;
    const id = t.id as string;
    const verdict: TicketVerdict = { seq: t.seq, id, script: t.script, lost: [], duplicated: [], wrongState: [], order: [] };
    const { view, timeline } = viewed[i];
    const events: TimelineItem[] = timeline.kind === 'ok' ? (timeline.body as TimelineItem[]) : [];
    if (timeline.kind !== 'ok') verdict.lost.push(`GET /api/tickets/${id}/timeline answered ${timeline.kind === 'rejected' ? timeline.status : timeline.detail}`);
    if (view.kind !== 'ok') verdict.lost.push(`GET /api/tickets/${id} answered ${view.kind === 'rejected' ? view.status : view.detail}`);
    const apiStatus = view.kind === 'ok' ? (view.body as { status: string }).status : null;

    const outcomes = possibleOutcomes(t);
    if (!outcomes.length) {
      result.unverifiable.push(`ticket #${t.seq} ${id}: too many actions in doubt to verify`);
      continue;
    }
    const observed: Record<string, number> = {};
    for (const e of events.filter((e) => !TIMER_TYPES.has(e.type))) observed[eventKey(e)] = (observed[eventKey(e)] ?? 0) + 1;
    const ticketClocks = clocks.filter((c) => c.ticket_id === id);
    const timerEvents = events.filter((e) => TIMER_TYPES.has(e.type));

    // The combination the observation matches, or the closest one to explain the difference by.
    const diff = (o: ExpectedOutcome) => {
      const d = { lost: [] as string[], duplicated: [] as string[], wrongState: [] as string[] };
      for (const key of new Set([...Object.keys(o.counts), ...Object.keys(observed)])) {
        const want = o.counts[key] ?? 0;
        const got = observed[key] ?? 0;
        if (got < want) d.lost.push(`${key}: ${got} on the timeline, ${want} expected`);
        if (got > want) d.duplicated.push(`${key}: ${got} on the timeline, ${want} expected`);
      }
      const intakeRow = intake.get(id);
      const a = assignment.get(id);
      const s = supervision.get(id);
      const m = metricsRows.get(id);
      if (!intakeRow) d.lost.push('not in intake.ticket');
      else {
        if (!!intakeRow.closed_at !== o.intakeClosed) d.wrongState.push(`intake: closed_at ${intakeRow.closed_at ? 'set' : 'empty'}, ${o.intakeClosed ? 'closed' : 'open'} expected`);
        if (intakeRow.repeat_count !== o.repeats) d.wrongState.push(`intake: repeat_count ${intakeRow.repeat_count}, ${o.repeats} expected`);
      }
      if (o.assignment === null) {
        if (a) d.wrongState.push(`assignment has it (${a.status}) though it was answered on the call`);
      } else if (!a) d.lost.push('not in assignment.ticket_assignment');
      else {
        if (a.status !== o.assignment) d.wrongState.push(`assignment: ${a.status}, ${o.assignment} expected`);
        if (a.department_id !== t.departmentId) d.wrongState.push(`assignment: department ${a.department_id}, the region bureau ${t.departmentId} expected`);
      }
      if (!s) d.lost.push('not in supervision.supervised_ticket');
      else {
        if (s.status !== o.supervision) d.wrongState.push(`supervision: ${s.status}, ${o.supervision} expected`);
        if (s.repeat_count !== o.repeats) d.wrongState.push(`supervision: repeat_count ${s.repeat_count}, ${o.repeats} expected`);
      }
      if (!m) d.lost.push('not in metrics.ticket_view');
      else {
        if (m.status !== o.metrics) d.wrongState.push(`metrics view: ${m.status}, ${o.metrics} expected`);
        if (apiStatus !== null && apiStatus !== m.status) d.wrongState.push(`GET /api/tickets/:id says ${apiStatus}, the view ${m.status}`);
        if (m.repeat_count !== o.repeats) d.wrongState.push(`metrics view: repeat_count ${m.repeat_count}, ${o.repeats} expected`);
      }
      return d;
    };
    const scored = outcomes.map((o) => ({ o, d: diff(o) })).sort((x, y) => size(x.d) - size(y.d));
    const best = scored[0];
    verdict.lost.push(...best.d.lost);
    verdict.duplicated.push(...best.d.duplicated);
    verdict.wrongState.push(...best.d.wrongState);
    const expected = best.o;

    // Ordered: by occurrence as the API promises, causes before effects, one correlation id,
    // and the generator's actions in the order it took them.
    const times = events.map((e) => Date.parse(e.occurredAt));
    if (times.some((x, k) => k > 0 && x < times[k - 1])) verdict.order.push('timeline not sorted by occurredAt');
    const position = new Map(events.map((e, k) => [e.eventId, k]));
    for (const [k, e] of events.entries()) {
      const cause = e.causationId ? position.get(e.causationId) : undefined;
      if (cause !== undefined && cause > k) verdict.order.push(`${e.type} ${e.eventId} comes before its cause`);
    }
    const first = events[0];
    if (first && first.type !== 'ticket.received') verdict.order.push(`the timeline starts with ${first.type}`);
    if (first && events.some((e) => e.correlationId !== first.eventId)) verdict.order.push('events with a correlation id other than the receipt');
    const sequenceTypes = new Set(expected.sequence);
    // Events other services add in reaction (assigned, sla-started) may interleave with later
    // actions when a consumer lagged; causes-before-effects covers them.
    const reactions = new Set(['ticket.sla-started', 'ticket.assigned']);
    const seen = events.map((e) => e.type).filter((type) => sequenceTypes.has(type) && !reactions.has(type));
    const want = expected.sequence.filter((type) => !reactions.has(type));
    if (!verdict.lost.length && !verdict.duplicated.length && seen.join(' ') !== want.join(' ')) {
      verdict.order.push(`actions on the timeline: ${seen.join(', ')}; taken: ${want.join(', ')}`);
    }

    // Timers: at most once per clock and stage, never early, never missed while the clock ran.
    const firedBy = (type: string, clockId: string) => timerEvents.filter((e) => e.type === type && e.payload.clockId === clockId);
    // Supervision's own events (a reopening) start clocks in the transaction that writes them.
    const inSupervision = (e: TimelineItem | undefined) => (e ? (appliedAt.get(e.eventId) ?? (e.producer === 'supervision' ? Date.parse(e.occurredAt) : undefined)) : undefined);
    for (const c of ticketClocks) {
      result.timers.clocks += 1;
      const started = events.filter((e) => e.type === 'ticket.sla-started' && e.payload.clockId === c.id).length;
      if (started !== 1) (started ? verdict.duplicated : verdict.lost).push(`clock ${c.kind} ${c.id}: ${started} ticket.sla-started events`);
      const existsFrom = inSupervision(events.find((e) => e.eventId === c.started_by_event_id)) ?? c.warning_at.getTime();
      const stoppedBy = c.stopped_at ? events.filter((e) => Date.parse(e.occurredAt) === c.stopped_at?.getTime()).map(inSupervision) : [];
      const stopTimes = stoppedBy.filter((x): x is number => x !== undefined);
      const end = c.stopped_at ? (stopTimes.length ? Math.min(...stopTimes) : c.stopped_at.getTime()) : ctx.checkTime;
      for (const [type, due] of [
        ['ticket.sla-warning', c.warning_at.getTime()],
        ['ticket.overdue', c.deadline.getTime()],
      ] as const) {
        const fired = firedBy(type, c.id);
        if (type === 'ticket.sla-warning') result.timers.warnings += fired.length;
        else result.timers.overdues += fired.length;
        if (fired.length > 1) result.timers.firedTwice.push(`ticket #${t.seq} ${id}: ${type} fired ${fired.length}× for clock ${c.kind} ${c.id}`);
        for (const f of fired) {
          if (Date.parse(f.occurredAt) < due - 1_000) result.timers.early.push(`ticket #${t.seq} ${id}: ${type} at ${f.occurredAt}, due ${new Date(due).toISOString()}`);
        }
        const runningAfterDue = healthyMs(Math.max(due, existsFrom), end, outages);
        if (!fired.length && runningAfterDue > MUST_FIRE_WITHIN_MS) {
          result.timers.missed.push(
            `ticket #${t.seq} ${id}: ${type} of clock ${c.kind} ${c.id} due ${new Date(due).toISOString()} never fired ` +
              `(clock ${c.status}${c.stopped_at ? ` at ${c.stopped_at.toISOString()}` : ''}, stage ${c.stage})`,
          );
        }
      }
    }
    for (const e of timerEvents.filter((e) => e.type !== 'ticket.escalated')) {
      if (!ticketClocks.some((c) => c.id === e.payload.clockId)) verdict.wrongState.push(`${e.type} for an unknown clock ${String(e.payload.clockId)}`);
    }
    // The generator's own expectation for tickets left to their timers: the run waited past the deadlines.
    const acceptApplied = expected.applied.includes('accept');
    if (t.timer && !acceptApplied) {
      for (const type of ['ticket.sla-warning', 'ticket.overdue']) {
        const n = timerEvents.filter((e) => e.type === type && e.payload.clock === 'sign-for').length;
        if (n !== 1) result.timers.missed.push(`ticket #${t.seq} ${id} (never signed for): ${n} × ${type} of the sign-for clock, 1 expected`);
      }
    }
    if (t.script === 'timer-late-reply' && acceptApplied && !expected.applied.includes('reply')) {
      for (const type of ['ticket.sla-warning', 'ticket.overdue']) {
        const n = timerEvents.filter((e) => e.type === type && e.payload.clock === 'reply').length;
        if (n !== 1) result.timers.missed.push(`ticket #${t.seq} ${id} (signed for, never replied): ${n} × ${type} of the reply clock, 1 expected`);
      }
    }
    // The escalation ladder: 催办 once at the first warning, 督办 once at the first overdue.
    const escalated = timerEvents.filter((e) => e.type === 'ticket.escalated');
    result.timers.escalations += escalated.length;
    // The call-back clock's warning and overdue escalate nothing (the hotline's own step).
    const departmentTimer = (e: { payload: Record<string, unknown> }) => e.payload.clock !== 'callback';
    const warnings = timerEvents.filter((e) => e.type === 'ticket.sla-warning' && departmentTimer(e)).length;
    const overdues = timerEvents.filter((e) => e.type === 'ticket.overdue' && departmentTimer(e)).length;
    const repeatsEscalate = expected.repeats >= 3;
    for (const [level, reason, due] of [
      [1, 'warning', warnings > 0 ? 1 : 0],
      [2, 'overdue or 3 repeats', overdues > 0 || repeatsEscalate ? 1 : 0],
    ] as const) {
      const n = escalated.filter((e) => e.payload.level === level).length;
      if (n > due) result.timers.firedTwice.push(`ticket #${t.seq} ${id}: ${n} × ticket.escalated level ${level} (${reason}), ${due} expected`);
      if (n < due) result.timers.missed.push(`ticket #${t.seq} ${id}: ${n} × ticket.escalated level ${level} (${reason}), ${due} expected`);
    }
    if (escalated.some((e) => e.payload.level === 3)) verdict.wrongState.push('listed (挂牌督办) within minutes of the deadline');
    const s = supervision.get(id);
    const wantLevel = overdues > 0 || repeatsEscalate ? 2 : warnings > 0 ? 1 : 0;
    if (s && s.escalation_level !== wantLevel) verdict.wrongState.push(`supervision: escalation level ${s.escalation_level}, ${wantLevel} after its timers`);

    // Counters: each event of the ticket counted once, under each dimension its measure has.
    const expectedCounters = expectedContributions(t, expected, timerEvents, events);
    const got = new Map(
      contributions.filter((r) => r.ticket_id === id).map((r) => [`${r.dimension}|${r.dimension_key}|${r.measure}`, r.value]),
    );
    for (const key of new Set([...expectedCounters.keys(), ...got.keys()])) {
      const w = expectedCounters.get(key) ?? 0;
      const g = got.get(key) ?? 0;
      if (g < w) verdict.lost.push(`counter ${key}: counted ${g}×, ${w} expected`);
      if (g > w) verdict.duplicated.push(`counter ${key}: counted ${g}×, ${w} expected`);
    }

    if (verdict.lost.length) result.lost.push(verdict);
    if (verdict.duplicated.length) result.duplicated.push(verdict);
    if (verdict.wrongState.length) result.wrongState.push(verdict);
    if (verdict.order.length) result.orderViolations.push(verdict);
  }

  await checkDeadLetters(ctx, result);
  return result;
}

function size(d: { lost: string[]; duplicated: string[]; wrongState: string[] }): number {
  return d.lost.length + d.duplicated.length + d.wrongState.length;
}

/** dimension|key|measure → how often the ticket's events must have counted there (apps/metrics counter-rules). */
function expectedContributions(t: TicketTruth, o: ExpectedOutcome, timerEvents: TimelineItem[], events: TimelineItem[]): Map<string, number> {
  const out = new Map<string, number>();
  const add = (dimension: string, key: string, measure: string, n: number) => {
    if (n > 0) out.set(`${dimension}|${key}|${measure}`, (out.get(`${dimension}|${key}|${measure}`) ?? 0) + n);
  };
  const count = (key: string) => o.counts[key] ?? 0;
  const dept = o.resolvedOnCall ? null : t.departmentId;
  const both = (measure: string, n: number) => {
    add('all', 'all', measure, n);
    if (dept) add('department', dept, measure, n);
  };
  const received = count('ticket.received');
  for (const [dimension, key] of [
    ['all', 'all'],
    ['region', t.regionCode],
    ['domain', t.domain],
    ['demand-type', t.demandType],
    ['channel', t.channel],
  ]) {
    add(dimension, key, 'received', received);
  }
  const assigned = count('ticket.assigned');
  add('all', 'all', 'assigned', assigned);
  add('region', t.regionCode, 'assigned', assigned);
  if (dept) {
    add('department', dept, 'assigned', assigned);
    add('department', dept, 'received', assigned > 0 ? 1 : 0);
  }
  add('all', 'all', 'resolved-on-call', count('ticket.resolved-on-call'));
  const repeats = count('ticket.repeat-linked');
  for (const [dimension, key] of [
    ['all', 'all'],
    ['region', t.regionCode],
    ['domain', t.domain],
    ['channel', t.channel],
  ]) {
    add(dimension, key, 'repeats', repeats);
  }
  // A repeat is charged to the department that held the ticket when it came (DOMAIN.md): one
  // that came while the ticket was still being routed is nobody's. The times are the timeline's,
  // whose completeness and order are checked above.
  const assignedAt = events.find((e) => e.type === 'ticket.assigned')?.occurredAt;
  const held = events.filter((e) => e.type === 'ticket.repeat-linked' && assignedAt !== undefined && Date.parse(e.occurredAt) >= Date.parse(assignedAt)).length;
  if (dept) add('department', dept, 'repeats', Math.min(repeats, held));
  both('accepted', count('ticket.accepted'));
  both('replied', count('ticket.replied'));
  both('reopened', count('ticket.reopened'));
  both('closed', count('ticket.closed'));
  for (const satisfaction of ['satisfied', 'basically-satisfied', 'unsatisfied', 'unreachable']) {
    both(`callback-${satisfaction}`, count(`ticket.callback-recorded:${satisfaction}`));
  }
  for (const clock of ['sign-for', 'reply']) {
    both(`overdue-${clock}`, timerEvents.filter((e) => e.type === 'ticket.overdue' && e.payload.clock === clock).length);
  }
  // A late call-back counts for the hotline alone.
  add('all', 'all', 'overdue-callback', timerEvents.filter((e) => e.type === 'ticket.overdue' && e.payload.clock === 'callback').length);
  for (const level of [1, 2, 3]) {
    both(`escalated-level-${level}`, timerEvents.filter((e) => e.type === 'ticket.escalated' && e.payload.level === level).length);
  }
  return out;
}

async function checkDeadLetters(ctx: CheckContext, result: CheckResult): Promise<void> {
  const letters = new Map<ServiceName, DeadLetterEntry[]>();
  for (const service of ['intake', 'assignment', 'supervision', 'metrics'] as const) {
    letters.set(service, await listDeadLetters({ service, brokers: ctx.brokers, namespace: ctx.namespace, clientId: 'faults-check', readTimeoutMs: 60_000 }));
  }
  const poisonKeys = new Set(ctx.poison.map((p) => p.key));
  for (const p of ctx.poison) {
    for (const { service, consumer } of CONSUMERS[p.topic]) {
      result.poison.expectedLetters += 1;
      const mine = (letters.get(service) ?? []).filter((e) => e.letter?.key === p.key && e.letter.consumer === consumer);
      if (!mine.length) {
        result.poison.missing.push(`${p.kind} on ${p.topic} (key ${p.key}): not in ${service}'s dead-letter queue for consumer ${consumer}`);
        continue;
      }
      result.poison.found += 1;
      result.poison.duplicates += mine.length - 1;
      for (const e of mine) {
        const letter = e.letter;
        if (!letter) continue;
        const problems: string[] = [];
        if (letter.error.kind !== p.kind) problems.push(`error kind ${letter.error.kind}`);
        if (!letter.error.message) problems.push('no error message');
        if (letter.origin.topic !== p.topic) problems.push(`origin ${letter.origin.topic}`);
        if (p.kind === 'malformed-json' && letter.valueEncoding !== 'base64') problems.push(`value kept as ${letter.valueEncoding}, not byte for byte`);
        if (problems.length) result.poison.wrongKind.push(`${p.kind} on ${p.topic} in ${service} (${consumer}): ${problems.join(', ')}`);
      }
    }
  }
  for (const [service, entries] of letters) {
    for (const e of entries) {
      const key = e.letter?.key ?? null;
      if (key && poisonKeys.has(key)) continue;
      result.unexpectedDeadLetters.push(
        `${service} ${e.id}: ${e.letter ? `${e.letter.consumer} dead-lettered ${e.letter.headers['event-type'] ?? '?'} of ticket ${key} from ${e.letter.origin.topic} (${e.letter.error.kind}: ${e.letter.error.message})` : e.unreadable}`,
      );
    }
  }
}
