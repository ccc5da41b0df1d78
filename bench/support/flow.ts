/**
 * Following tickets through the pipeline: Kafka offsets per stage (what was produced, what each
 * consumer group has committed), draining, and the per-ticket timestamps of each stage.
 */
import type { BenchContext } from './context';
import { committed, readTopics, topicEnds } from './kafka-read';
import { distribution, Distribution, sleep } from './stats';

export const TOPIC = {
  intake: 'hotline.intake.events.v1',
  assignment: 'hotline.assignment.events.v1',
  supervision: 'hotline.supervision.events.v1',
} as const;

/** Every consumer group of the stack and what it reads. */
export const GROUPS: { group: string; topics: string[] }[] = [
  { group: 'assignment', topics: [TOPIC.intake] },
  { group: 'supervision.intake', topics: [TOPIC.intake] },
  { group: 'supervision', topics: [TOPIC.assignment] },
  { group: 'assignment.supervision', topics: [TOPIC.supervision] },
  { group: 'intake.supervision', topics: [TOPIC.supervision] },
  { group: 'metrics', topics: [TOPIC.intake, TOPIC.assignment, TOPIC.supervision] },
];

export interface StageSample {
  t: number;
  /** Messages ever written per topic. */
  produced: Record<keyof typeof TOPIC, number>;
  /** Messages committed per consumer group (over its topics). */
  committed: Record<string, number>;
  /** The metrics group's commits on the supervision topic: tickets counted (sla-started is the chain's last event). */
  countedSlaStarted: number;
  lag: Record<string, number>;
  outbox: Record<string, number>;
}

export async function sampleStages(ctx: BenchContext): Promise<StageSample> {
  const { stack } = ctx;
  const w = (t: string) => stack.wire(t);
  const [intake, assignment, supervision] = await Promise.all([
    topicEnds(stack.admin, [w(TOPIC.intake)]).catch(() => 0),
    topicEnds(stack.admin, [w(TOPIC.assignment)]).catch(() => 0),
    topicEnds(stack.admin, [w(TOPIC.supervision)]).catch(() => 0),
  ]);
  const produced = { intake, assignment, supervision };
  const committedBy: Record<string, number> = {};
  const lag: Record<string, number> = {};
  await Promise.all(
    GROUPS.map(async (g) => {
      const done = await committed(stack.admin, w(g.group), g.topics.map(w)).catch(() => 0);
      committedBy[g.group] = done;
      const ends = g.topics.reduce((sum, t) => sum + produced[(Object.keys(TOPIC) as (keyof typeof TOPIC)[]).find((k) => TOPIC[k] === t) as keyof typeof TOPIC], 0);
      lag[g.group] = Math.max(0, ends - done);
    }),
  );
  const countedSlaStarted = await committed(stack.admin, w('metrics'), [w(TOPIC.supervision)]).catch(() => 0);
  const { rows } = await stack.pool.query<{ s: string; n: number }>(
    `SELECT 'intake' AS s, count(*)::int AS n FROM intake.outbox_message WHERE published_at IS NULL
     UNION ALL SELECT 'assignment', count(*)::int FROM assignment.outbox_message WHERE published_at IS NULL
     UNION ALL SELECT 'supervision', count(*)::int FROM supervision.outbox_message WHERE published_at IS NULL`,
  );
  return { t: Date.now(), produced, committed: committedBy, countedSlaStarted, lag, outbox: Object.fromEntries(rows.map((r) => [r.s, r.n])) };
}

/** Samples the stages every `everyMs` until stopped. */
export class StageSampler {
  readonly samples: StageSample[] = [];
  private running = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: BenchContext) {}

  start(everyMs = 2_000): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const t = Date.now();
        this.samples.push(await sampleStages(this.ctx).catch(() => this.samples[this.samples.length - 1]));
        await sleep(Math.max(0, everyMs - (Date.now() - t)));
      }
    })();
  }

  async stop(): Promise<StageSample[]> {
    this.running = false;
    await this.loop;
    return this.samples.filter(Boolean);
  }
}

function idle(s: StageSample): boolean {
  return Object.values(s.lag).every((l) => l === 0) && Object.values(s.outbox).every((n) => n === 0);
}

/** Waits until every consumer group has caught up and every outbox is published (twice in a row). */
export async function waitDrained(ctx: BenchContext, timeoutMs: number): Promise<{ drained: boolean; ms: number; last: StageSample }> {
  const t0 = Date.now();
  let calm = 0;
  for (;;) {
    const s = await sampleStages(ctx);
    calm = idle(s) ? calm + 1 : 0;
    if (calm >= 2) return { drained: true, ms: Date.now() - t0, last: s };
    if (Date.now() - t0 > timeoutMs) return { drained: false, ms: Date.now() - t0, last: s };
    await sleep(1_000);
  }
}

/** The consumer services; their groups can be moved past a backlog only while they are stopped. */
const CONSUMER_SERVICES = ['assignment', 'supervision', 'metrics'] as const;

/**
 * Moves every consumer group (but intake's, which acts on closures only) past what is on the
 * topics now, so a backlog one phase left behind does not weigh on the next.
 */
export async function skipBacklog(ctx: BenchContext): Promise<void> {
  const { stack } = ctx;
  const replicas = [...stack.running.keys()].filter((k) => k.includes('#'));
  await Promise.all([...CONSUMER_SERVICES, ...replicas].map((k) => stack.stop(k)));
  for (const g of GROUPS.filter((x) => x.group !== 'intake.supervision')) {
    for (const t of g.topics) {
      await stack.admin.resetOffsets({ groupId: stack.wire(g.group), topic: stack.wire(t), earliest: false }).catch(() => undefined);
    }
  }
  await Promise.all(CONSUMER_SERVICES.map((k) => stack.start(k)));
}

export interface TicketTimes {
  receivedAt: number;
  /** When intake's relay put ticket.received on Kafka. */
  receivedPublishedAt?: number;
  assignedAt?: number;
  departmentId?: string;
  regionCode?: string;
  slaStartedAt?: number;
  slaStartedEventId?: string;
  countedAt?: number;
  assignedMessages: number;
  slaStartedMessages: number;
}

export interface FlowLatency {
  tickets: number;
  assigned: number;
  clockStarted: number;
  counted: number;
  assignedMs: Distribution;
  clockStartedMs: Distribution;
  countedMs: Distribution;
  /** The hops: received → on Kafka (intake's relay), → ticket.assigned on Kafka (assignment's consumer and relay), → sla-started, → counted. */
  hops: Record<string, Distribution>;
  /** Tickets whose ticket.assigned (sla-started) appeared more than once on Kafka (at-least-once redelivery). */
  duplicateAssignedMessages: number;
  duplicateSlaStartedMessages: number;
  routingReviews: number;
  departmentsByRegion: Record<string, string>;
}

/**
 * The stage times of the tickets a load created: ticket.received (the instant intake recorded),
 * ticket.assigned and ticket.sla-started (when their producer's relay put them on Kafka: the
 * message timestamps), and counted (metrics committed the transaction that applied sla-started:
 * its inbox row's transaction start, moved to the commit notice metrics sent right after).
 */
export async function followTickets(ctx: BenchContext, tickets: [string, string, number][], commitNotices: number[]): Promise<FlowLatency> {
  const { stack } = ctx;
  const times = new Map<string, TicketTimes>();
  for (const [id, receivedAt] of tickets) times.set(id, { receivedAt: Date.parse(receivedAt), assignedMessages: 0, slaStartedMessages: 0 });
  let routingReviews = 0;
  await readTopics(stack.kafka, stack.admin, [stack.wire(TOPIC.intake), stack.wire(TOPIC.assignment), stack.wire(TOPIC.supervision)], (m) => {
    const t = m.key ? times.get(m.key) : undefined;
    if (!t) return;
    if (m.type === 'ticket.received') {
      if (t.receivedPublishedAt === undefined) t.receivedPublishedAt = m.timestamp;
    } else if (m.type === 'ticket.assigned') {
      t.assignedMessages += 1;
      if (t.assignedAt === undefined) {
        t.assignedAt = m.timestamp;
        const payload = (JSON.parse(m.value) as { payload: { departmentId: string; regionCode: string } }).payload;
        t.departmentId = payload.departmentId;
        t.regionCode = payload.regionCode;
      }
    } else if (m.type === 'ticket.routing-review-requested') {
      routingReviews += 1;
    } else if (m.type === 'ticket.sla-started') {
      t.slaStartedMessages += 1;
      if (t.slaStartedAt === undefined) {
        t.slaStartedAt = m.timestamp;
        t.slaStartedEventId = m.eventId;
      }
    }
  });
  const byEvent = new Map<string, TicketTimes>();
  for (const t of times.values()) if (t.slaStartedEventId) byEvent.set(t.slaStartedEventId, t);
  const ids = [...byEvent.keys()];
  const notices = [...commitNotices].sort((a, b) => a - b);
  const firstNoticeAfter = (at: number): number | undefined => {
    let lo = 0;
    let hi = notices.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (notices[mid] < at) lo = mid + 1;
      else hi = mid;
    }
    return notices[lo];
  };
  for (let i = 0; i < ids.length; i += 5_000) {
    const { rows } = await stack.pool.query<{ event_id: string; at: Date }>(
      `SELECT event_id, processed_at AS at FROM metrics.processed_event WHERE consumer = 'metrics' AND event_id = ANY($1::uuid[])`,
      [ids.slice(i, i + 5_000)],
    );
    for (const r of rows) {
      const t = byEvent.get(r.event_id);
      if (!t) continue;
      const start = r.at.getTime();
      const notice = firstNoticeAfter(start);
      // The notice follows its commit within milliseconds; one far later belongs to another batch.
      t.countedAt = notice !== undefined && notice - start < 30_000 ? notice : start;
    }
  }
  const all = [...times.values()];
  const departmentsByRegion: Record<string, string> = {};
  for (const t of all) if (t.regionCode && t.departmentId) departmentsByRegion[t.regionCode] = t.departmentId;
  const assigned = all.filter((t) => t.assignedAt !== undefined);
  const started = all.filter((t) => t.slaStartedAt !== undefined);
  const counted = all.filter((t) => t.countedAt !== undefined);
  const hop = (from: (t: TicketTimes) => number | undefined, to: (t: TicketTimes) => number | undefined) =>
    distribution(all.filter((t) => from(t) !== undefined && to(t) !== undefined).map((t) => (to(t) as number) - (from(t) as number)));
  const hops = {
    'received → on Kafka (intake relay)': hop((t) => t.receivedAt, (t) => t.receivedPublishedAt),
    'on Kafka → assigned on Kafka (assignment consumer + relay)': hop((t) => t.receivedPublishedAt, (t) => t.assignedAt),
    'assigned → sla-started on Kafka (supervision consumer + relay)': hop((t) => t.assignedAt, (t) => t.slaStartedAt),
    'sla-started → counted (metrics consumer)': hop((t) => t.slaStartedAt, (t) => t.countedAt),
  };
  return {
    tickets: all.length,
    assigned: assigned.length,
    clockStarted: started.length,
    counted: counted.length,
    assignedMs: distribution(assigned.map((t) => (t.assignedAt as number) - t.receivedAt)),
    clockStartedMs: distribution(started.map((t) => (t.slaStartedAt as number) - t.receivedAt)),
    countedMs: distribution(counted.map((t) => (t.countedAt as number) - t.receivedAt)),
    hops,
    duplicateAssignedMessages: all.filter((t) => t.assignedMessages > 1).length,
    duplicateSlaStartedMessages: all.filter((t) => t.slaStartedMessages > 1).length,
    routingReviews,
    departmentsByRegion,
  };
}

/** Listens to metrics' commit notices (Redis pub/sub) and keeps their instants. */
export async function commitNotices(ctx: BenchContext): Promise<{ instants: number[]; stop: () => Promise<void> }> {
  const sub = ctx.stack.redis.duplicate();
  const instants: number[] = [];
  sub.on('message', (_channel: string, text: string) => {
    try {
      instants.push(Date.parse((JSON.parse(text) as { at: string }).at));
    } catch {
      // not a notice
    }
  });
  await sub.subscribe(`${ctx.stack.redisPrefix}metrics:changes`);
  return {
    instants,
    stop: async () => {
      await sub.unsubscribe().catch(() => undefined);
      sub.disconnect();
    },
  };
}
