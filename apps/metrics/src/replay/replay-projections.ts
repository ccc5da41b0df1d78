import { Logger } from '@nestjs/common';
import { KnownEvent, parseEvent } from '@hotline/contracts';
import { appendToOutbox, IncomingMessage, KafkaMessageBus } from '@hotline/messaging';
import { loadEnvironment, serviceDataSourceOptions } from '@hotline/platform';
import { DataSource } from 'typeorm';
import { METRICS_DATABASE } from '../database/metrics.database';
import { MetricsEnvironment } from '../metrics.environment';
import { HotspotDetector } from '../hotspots/hotspot-detector';
import { recountDepartmentMeasures } from '../department-measures/department-measures';
import { ProjectionBatch } from '../projection/projection-batch';
import { PROJECTED_TOPICS, PROJECTION_CONSUMER } from '../projection/ticket-projection.handler';

/**
 * What a replay rebuilds: everything derived from the events. Not the hotspot alerts raised
 * (a record: a replay must not raise them again), the scoring formulas or published gradings.
 */
export const PROJECTION_TABLES = [
  'timeline_entry',
  'ticket_view',
  'daily_counter',
  'counter_contribution',
  'department_charge',
  'demand_signal',
  'department_measure_entry',
  'department_month',
  'breakdown_month',
  'department_name',
] as const;

export interface ReplaySummary {
  eventsToReplay: number;
  /** Events projected again (the rest: unreadable, dead-lettered when they first came). */
  eventsProjected: number;
  /** Whether the events were ordered in PostgreSQL (more than `inMemoryUpTo`) rather than in memory. */
  staged: boolean;
  rewound: { topic: string; partitions: number }[];
  /** Where the time went: reading the topics, projecting the events, counting the department table. */
  timings: { checkMs: number; readMs: number; projectMs: number; departmentTableMs: number; placeMs: number };
}

/**
 * Events projected per transaction during a replay. Every statement of a batch is set-based, so a
 * larger batch is fewer round trips and commits for the same rows.
 */
const REPLAY_BATCH = 2_000;

export interface ReplayOptions {
  /**
   * Up to this many messages the events are ordered in memory (≈ 2 KB each while read);
   * beyond, staged in PostgreSQL and read back in order a batch at a time, so a year of history
   * (tens of millions of events) is replayed in bounded memory. 0: always staged.
   * Default: the environment's REPLAY_IN_MEMORY_UP_TO.
   */
  inMemoryUpTo?: number;
}

/** The events to project, in event time, a batch at a time; and where each partition was read to. */
interface OrderedEvents {
  /** Messages read (poison ones included: they were dead-lettered when they first came). */
  read: number;
  staged: boolean;
  /** Per topic and partition, the offset after the last message read. */
  next: Map<string, { topic: string; partition: number; offset: string }>;
  batches(size: number): AsyncIterable<KnownEvent[]>;
  close(): Promise<void>;
}

/**
 * Rebuilds the projections from the beginning of the events topics, in the order things
 * happened: every event the topics hold is read, merged by when it occurred (each partition
 * keeping its own order) and projected in that order, then the projection's consumer group is
 * placed after what was read, so the service, started again, goes on from there. The live
 * consumer reads three topics side by side; replaying in event time is what makes the rebuilt
 * numbers exact whatever order the topics were once consumed in.
 *
 * The metrics service must be stopped: Kafka refuses to move a group with live members, and
 * then nothing has been dropped yet.
 */
export async function replayProjections(
  dataSource: DataSource,
  bus: KafkaMessageBus,
  hotspots: HotspotDetector = new HotspotDetector(loadEnvironment(MetricsEnvironment)),
  options: ReplayOptions = {},
): Promise<ReplaySummary> {
  // Fails (and changes nothing) while the service still consumes.
  const checking = Date.now();
  await bus.placeConsumerGroup(PROJECTION_CONSUMER, []);
  const started = Date.now();
  const held = await bus.countMessages(PROJECTED_TOPICS);
  const ordered =
    held <= (options.inMemoryUpTo ?? loadEnvironment(MetricsEnvironment).REPLAY_IN_MEMORY_UP_TO) ? await orderInMemory(bus) : await orderInPostgres(dataSource, bus);
  try {
    await dataSource.transaction(async (manager) => {
      await manager.query(`TRUNCATE ${PROJECTION_TABLES.map((t) => `metrics.${t}`).join(', ')}`);
      await manager.query(`DELETE FROM metrics.processed_event WHERE consumer = $1`, [PROJECTION_CONSUMER]);
    });
    const read = Date.now();
    let projected = 0;
    for await (const events of ordered.batches(REPLAY_BATCH)) {
      await dataSource.transaction(async (manager) => {
        // No wait for the WAL flush at each batch's commit: a replay that stops half-way is run
        // again from the start, and the department table's transaction at the end commits
        // synchronously, which flushes every batch's WAL before the group is placed.
        await manager.query(`SET LOCAL synchronous_commit = off`);
        // The inbox rows of the batch at once: the ids it returns are the events not seen before.
        const inserted: { event_id: string }[] = await manager.query(
          `INSERT INTO metrics.processed_event (consumer, event_id) SELECT $1, unnest($2::uuid[])
           ON CONFLICT DO NOTHING RETURNING event_id`,
          [PROJECTION_CONSUMER, events.map((e) => e.eventId)],
        );
        const fresh = new Set(inserted.map((row) => row.event_id));
        const batch = new ProjectionBatch(manager, hotspots, (emitted) => appendToOutbox(manager, emitted));
        for (const event of events) {
          if (!fresh.delete(event.eventId.toLowerCase())) continue; // a duplicate on the topic
          batch.project(event);
          projected += 1;
        }
        await batch.complete({ recount: false });
      });
    }
    const projectedAt = Date.now();
    // Every projection table was just rewritten: the planner's statistics describe what was there
    // before (or nothing), and the department table's count below is planned from them.
    await dataSource.query(`ANALYZE ${PROJECTION_TABLES.map((t) => `metrics.${t}`).join(', ')}`);
    // The department table once, from the whole rebuilt timeline: a ticket's events are spread
    // over many of the batches above, and recounting it after each would count it many times.
    await dataSource.transaction((manager) => recountDepartmentMeasures(manager, { where: 'true', params: [] }));
    const counted = Date.now();

    // The group goes on after the last message read in each partition.
    await bus.placeConsumerGroup(PROJECTION_CONSUMER, [...ordered.next.values()]);
    const placed = Date.now();
    const partitions = new Map<string, number>();
    for (const p of ordered.next.values()) partitions.set(p.topic, (partitions.get(p.topic) ?? 0) + 1);
    return {
      eventsToReplay: ordered.read,
      eventsProjected: projected,
      staged: ordered.staged,
      rewound: [...partitions].map(([topic, n]) => ({ topic, partitions: n })),
      timings: { checkMs: started - checking, readMs: read - started, projectMs: projectedAt - read, departmentTableMs: counted - projectedAt, placeMs: placed - counted },
    };
  } finally {
    await ordered.close();
  }
}

/** Where each partition was read to, kept as the messages go by. */
function readPositions(): { note(messages: IncomingMessage[]): void; next: OrderedEvents['next'] } {
  const next: OrderedEvents['next'] = new Map();
  return {
    next,
    note(messages) {
      for (const m of messages) {
        const key = `${m.topic}/${m.partition}`;
        const offset = (BigInt(m.offset) + 1n).toString();
        const seen = next.get(key);
        if (!seen || BigInt(seen.offset) < BigInt(offset)) next.set(key, { topic: m.topic, partition: m.partition, offset });
      }
    },
  };
}

/** Every message read into memory, then ordered there (`inEventTime`). */
async function orderInMemory(bus: KafkaMessageBus): Promise<OrderedEvents> {
  const messages = await bus.readAll(PROJECTED_TOPICS);
  const positions = readPositions();
  positions.note(messages);
  const order = inEventTime(messages);
  return {
    read: messages.length,
    staged: false,
    next: positions.next,
    async *batches(size) {
      for (let i = 0; i < order.length; i += size) yield order.slice(i, i + size);
    },
    close: async () => undefined,
  };
}

/**
 * Every message staged in a temporary table of one PostgreSQL session as it is read, ordered
 * there by the same rule as `inEventTime` (PostgreSQL sorts on disk what does not fit in
 * memory), and read back a batch at a time. The process holds one fetched batch at a time.
 */
async function orderInPostgres(dataSource: DataSource, bus: KafkaMessageBus): Promise<OrderedEvents> {
  const session = dataSource.createQueryRunner();
  await session.connect();
  const positions = readPositions();
  let read = 0;
  // One INSERT in flight while the next fetched batch is decoded and checked: the reading and
  // PostgreSQL's writing overlap instead of taking turns (the session runs its queries in order).
  let staging: Promise<unknown> = Promise.resolve();
  try {
    await session.query(`DROP TABLE IF EXISTS pg_temp.replay_order, pg_temp.replay_event`);
    await session.query(
      `CREATE TEMPORARY TABLE replay_event (
         id bigint GENERATED ALWAYS AS IDENTITY, topic text COLLATE "C" NOT NULL, partition int NOT NULL,
         "offset" bigint NOT NULL, ticket_id text NOT NULL, occurred_ms bigint NOT NULL, message text NOT NULL)`,
    );
    await bus.readEach(PROJECTED_TOPICS, async (messages) => {
      positions.note(messages);
      read += messages.length;
      const rows = { topic: [] as string[], partition: [] as number[], offset: [] as string[], ticket: [] as string[], at: [] as number[], message: [] as string[] };
      for (const message of messages) {
        const event = readableEvent(message);
        if (!event) continue;
        rows.topic.push(message.topic);
        rows.partition.push(message.partition);
        rows.offset.push(message.offset);
        rows.ticket.push(event.ticketId);
        rows.at.push(Date.parse(event.occurredAt));
        rows.message.push((message.value as Buffer).toString('utf8'));
      }
      if (!rows.topic.length) return;
      await staging; // at most one batch waits in memory: a failed INSERT stops the reading here
      staging = session.query(
        `INSERT INTO replay_event (topic, partition, "offset", ticket_id, occurred_ms, message)
         SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::text[], $5::bigint[], $6::text[])`,
        [rows.topic, rows.partition, rows.offset, rows.ticket, rows.at, rows.message],
      );
      staging.catch(() => undefined); // awaited above or below; not an unhandled rejection meanwhile
    });
    await staging;
    // inEventTime's rule: by event time, one ticket's events of one topic in the order written
    // (each one's time raised to at least its predecessor's), ties in topic/partition/offset order.
    await session.query(
      `CREATE TEMPORARY TABLE replay_order AS
       SELECT row_number() OVER (ORDER BY at, topic, partition, "offset") AS n, id
         FROM (SELECT id, topic, partition, "offset",
                      max(occurred_ms) OVER (PARTITION BY topic, ticket_id ORDER BY partition, "offset") AS at
                 FROM replay_event) AS timed`,
    );
    await session.query(`ALTER TABLE replay_order ADD PRIMARY KEY (n)`);
    await session.query(`ALTER TABLE replay_event ADD PRIMARY KEY (id)`);
  } catch (err) {
    await staging.catch(() => undefined);
    await session.release();
    throw err;
  }
  return {
    read,
    staged: true,
    next: positions.next,
    async *batches(size) {
      const fetch = async (after: number): Promise<KnownEvent[]> => {
        const rows: { message: string }[] = await session.query(
          `SELECT e.message FROM replay_order o JOIN replay_event e USING (id) WHERE o.n > $1 AND o.n <= $2 ORDER BY o.n`,
          [after, after + size],
        );
        // Checked against the contract when staged: only parsed here.
        return rows.map((r) => JSON.parse(r.message) as KnownEvent);
      };
      // The next batch is fetched on this session while the one handed out is projected on another.
      let next = fetch(0);
      for (let after = size; ; after += size) {
        const events = await next;
        if (!events.length) return;
        next = fetch(after);
        next.catch(() => undefined); // awaited on the next turn; a consumer that stops early leaves it to close()
        yield events;
      }
    },
    async close() {
      try {
        await session.query(`DROP TABLE IF EXISTS pg_temp.replay_order, pg_temp.replay_event`);
      } finally {
        await session.release();
      }
    },
  };
}

/** The event a message holds; null for a poison message (dead-lettered when it first came). */
function readableEvent(message: IncomingMessage): KnownEvent | null {
  try {
    return parseEvent(message.value);
  } catch {
    return null;
  }
}

/**
 * The events in the order things happened: by event time, except that one ticket's events of
 * one topic keep the order they were written in (causal there, even when a late writer gave
 * an event an earlier time): each event's time is raised to at least its predecessor's.
 */
export function inEventTime(messages: IncomingMessage[]): KnownEvent[] {
  const inOffsetOrder = [...messages].sort(
    (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1),
  );
  const latest = new Map<string, number>();
  const timed: { at: number; seq: number; event: KnownEvent }[] = [];
  for (const message of inOffsetOrder) {
    const event = readableEvent(message);
    if (!event) continue;
    const key = `${message.topic}|${event.ticketId}`;
    const at = Math.max(Date.parse(event.occurredAt), latest.get(key) ?? -Infinity);
    latest.set(key, at);
    timed.push({ at, seq: timed.length, event });
  }
  timed.sort((a, b) => a.at - b.at || a.seq - b.seq);
  return timed.map((t) => t.event);
}

/** `main.ts replay`: the command an operator runs with the metrics service stopped. */
export async function replayCommand(): Promise<void> {
  const logger = new Logger('replay');
  const env = loadEnvironment(MetricsEnvironment);
  const dataSource = new DataSource(serviceDataSourceOptions('metrics', env, METRICS_DATABASE));
  const bus = new KafkaMessageBus({
    clientId: 'hotline-metrics-replay',
    brokers: env.KAFKA_BROKERS.split(','),
    namespace: env.KAFKA_NAMESPACE,
    partitions: env.KAFKA_PARTITIONS,
  });
  logger.log('replay: checking that the metrics service is stopped, then reading the events topics');
  await dataSource.initialize();
  try {
    const summary = await replayProjections(dataSource, bus, new HotspotDetector(env), { inMemoryUpTo: env.REPLAY_IN_MEMORY_UP_TO });
    logger.log(
      `projections rebuilt in event order: ${summary.eventsProjected} of ${summary.eventsToReplay} messages on ` +
        `${summary.rewound.map((r) => r.topic).join(', ')} projected (group checked ${summary.timings.checkMs} ms, read and ordered ${summary.staged ? 'in PostgreSQL ' : ''}${summary.timings.readMs} ms, projected ${summary.timings.projectMs} ms, ` +
        `department table ${summary.timings.departmentTableMs} ms, group placed ${summary.timings.placeMs} ms); start the metrics service to go on from there`,
    );
  } finally {
    await bus.disconnect();
    await dataSource.destroy();
    logger.log('replay: disconnected');
  }
}
