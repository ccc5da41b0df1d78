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
  'department_name',
] as const;

export interface ReplaySummary {
  eventsToReplay: number;
  /** Events projected again (the rest: unreadable, dead-lettered when they first came). */
  eventsProjected: number;
  rewound: { topic: string; partitions: number }[];
  /** Where the time went: reading the topics, projecting the events, counting the department table. */
  timings: { checkMs: number; readMs: number; projectMs: number; departmentTableMs: number; placeMs: number };
}

/** Events projected per transaction during a replay. */
const REPLAY_BATCH = 500;

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
): Promise<ReplaySummary> {
  // Fails (and changes nothing) while the service still consumes.
  const checking = Date.now();
  await bus.placeConsumerGroup(PROJECTION_CONSUMER, []);
  const started = Date.now();
  const messages = await bus.readAll(PROJECTED_TOPICS);
  const order = inEventTime(messages);

  await dataSource.transaction(async (manager) => {
    await manager.query(`TRUNCATE ${PROJECTION_TABLES.map((t) => `metrics.${t}`).join(', ')}`);
    await manager.query(`DELETE FROM metrics.processed_event WHERE consumer = $1`, [PROJECTION_CONSUMER]);
  });
  const read = Date.now();
  let projected = 0;
  for (let i = 0; i < order.length; i += REPLAY_BATCH) {
    await dataSource.transaction(async (manager) => {
      const events = order.slice(i, i + REPLAY_BATCH);
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
  const next = new Map<string, { topic: string; partition: number; offset: string }>();
  for (const m of messages) {
    const key = `${m.topic}/${m.partition}`;
    const offset = (BigInt(m.offset) + 1n).toString();
    const seen = next.get(key);
    if (!seen || BigInt(seen.offset) < BigInt(offset)) next.set(key, { topic: m.topic, partition: m.partition, offset });
  }
  await bus.placeConsumerGroup(PROJECTION_CONSUMER, [...next.values()]);
  const placed = Date.now();
  const partitions = new Map<string, number>();
  for (const p of next.values()) partitions.set(p.topic, (partitions.get(p.topic) ?? 0) + 1);
  return {
    eventsToReplay: messages.length,
    eventsProjected: projected,
    rewound: [...partitions].map(([topic, n]) => ({ topic, partitions: n })),
    timings: { checkMs: started - checking, readMs: read - started, projectMs: projectedAt - read, departmentTableMs: counted - projectedAt, placeMs: placed - counted },
  };
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
    let event: KnownEvent;
    try {
      event = parseEvent(message.value);
    } catch {
      continue; // a poison message: it went to the dead-letter topic when it first came
    }
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
    const summary = await replayProjections(dataSource, bus, new HotspotDetector(env));
    logger.log(
      `projections rebuilt in event order: ${summary.eventsProjected} of ${summary.eventsToReplay} messages on ` +
        `${summary.rewound.map((r) => r.topic).join(', ')} projected (group checked ${summary.timings.checkMs} ms, read ${summary.timings.readMs} ms, projected ${summary.timings.projectMs} ms, ` +
        `department table ${summary.timings.departmentTableMs} ms, group placed ${summary.timings.placeMs} ms); start the metrics service to go on from there`,
    );
  } finally {
    await bus.disconnect();
    await dataSource.destroy();
    logger.log('replay: disconnected');
  }
}
