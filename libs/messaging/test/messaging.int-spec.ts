import {
  createEvent,
  DeadLetter,
  deadLetterTopic,
  EventEnvelope,
  EventPayload,
  parseEvent,
  serializeEvent,
  Topics,
  uuidv7,
} from '@hotline/contracts';
import { createTestDatabase, readTopics, uniqueKafkaNamespace, waitFor } from '@hotline/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import {
  appendToOutbox,
  createMessagingTables,
  deferOutboxWrites,
  EventConsumer,
  EventConsumerOptions,
  EventHandlers,
  KafkaMessageBus,
  MessagePublisher,
  OutboxMessage,
  OutboxRelay,
  OutgoingMessage,
  ProcessedEvent,
  writeDeferredOutbox,
} from '../src';

/** The effect our test consumer has: how many times each event was applied, in what order. */
@Entity({ name: 'applied_effect' })
class AppliedEffect {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' }) eventId: string;
  @Column({ name: 'ticket_id', type: 'text' }) ticketId: string;
  @Column({ type: 'int' }) times: number;
  @Column({ type: 'bigint', insert: false, update: false })
  seq: string;
}

const SCHEMA = 'messaging_test';
// Each test owns its topics (a fresh namespace), so a new consumer group reading from the
// beginning sees only that test's messages.
let namespace: string;
let dataSource: DataSource;
let bus: KafkaMessageBus;
const consumers: EventConsumer[] = [];

function received(ticketId: string, n: number): EventEnvelope {
  const payload: EventPayload<'ticket.received'> = {
    number: `12333-20261122-${String(n).padStart(6, '0')}`,
    channel: 'phone',
    demandType: 'consultation',
    domain: 'social-insurance',
    urgency: 'normal',
    regionCode: '500103',
    title: '咨询养老保险转移',
    content: `第${n}次来电咨询养老保险关系转移接续`,
    callerPhoneHash: 'b'.repeat(64),
    receivedAt: '2026-11-22T09:00:00.000+08:00',
  };
  return createEvent('ticket.received', payload, { ticketId });
}

async function writeThroughOutbox(events: EventEnvelope[]): Promise<void> {
  await dataSource.transaction((manager) => appendToOutbox(manager, events));
}

const countEffect: EventHandlers['ticket.received'] = async (event, tx) => {
  await tx.manager.query(
    `INSERT INTO ${SCHEMA}.applied_effect (event_id, ticket_id, times) VALUES ($1, $2, 1)
     ON CONFLICT (event_id) DO UPDATE SET times = applied_effect.times + 1`,
    [event.eventId, event.ticketId],
  );
};

async function startConsumer(
  name: string,
  handlers: EventHandlers,
  retry = { maxAttempts: 3, initialDelayMs: 20, maxDelayMs: 50 },
  options: Pick<EventConsumerOptions, 'beforeCommit'> = {},
) {
  const consumer = new EventConsumer(dataSource, bus, {
    name,
    service: 'assignment',
    topics: [Topics.intakeEvents],
    handlers,
    retry,
    ...options,
  });
  consumers.push(consumer);
  await consumer.start();
  await waitFor(`${name} to join its group`, () => consumer.isJoined(), { timeoutMs: 30_000 });
  return consumer;
}

async function effects(): Promise<AppliedEffect[]> {
  return dataSource.getRepository(AppliedEffect).find({ order: { seq: 'ASC' } });
}

beforeAll(async () => {
  const url = await createTestDatabase('hotline_test_messaging');
  dataSource = new DataSource({
    type: 'postgres',
    url,
    schema: SCHEMA,
    entities: [OutboxMessage, ProcessedEvent, AppliedEffect],
    logging: ['error'],
  });
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  await runner.query(`CREATE SCHEMA ${SCHEMA}`);
  await createMessagingTables(runner, SCHEMA);
  await runner.query(
    `CREATE TABLE ${SCHEMA}.applied_effect (event_id uuid PRIMARY KEY, ticket_id text NOT NULL, times int NOT NULL,
       seq bigint GENERATED ALWAYS AS IDENTITY)`,
  );
  await runner.release();
});

beforeEach(async () => {
  namespace = uniqueKafkaNamespace('messaging');
  bus = new KafkaMessageBus({ clientId: 'messaging-int', brokers: ['127.0.0.1:9092'], namespace, partitions: 3 });
  await bus.connect();
  await bus.ensureTopics([Topics.intakeEvents]);
});

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.stop()));
  await bus.disconnect();
  await dataSource.query(`TRUNCATE ${SCHEMA}.applied_effect, ${SCHEMA}.processed_event, ${SCHEMA}.outbox_message`);
});

afterAll(async () => {
  await dataSource?.destroy();
});

describe('transactional outbox', () => {
  it('writes nothing when the state change rolls back', async () => {
    await expect(
      dataSource.transaction(async (manager) => {
        await appendToOutbox(manager, [received(uuidv7(), 1)]);
        throw new Error('state change failed');
      }),
    ).rejects.toThrow('state change failed');
    expect(await dataSource.getRepository(OutboxMessage).count()).toBe(0);
  });

  it('writes a state change given along with the events in their statement, after what was deferred, or neither', async () => {
    const [deferredFirst, withChange] = [received('along-ticket', 1), received('along-ticket', 2)];
    const change = (event: EventEnvelope) => ({
      sql: `INSERT INTO ${SCHEMA}.applied_effect (event_id, ticket_id, times) VALUES ($1, $2, 1)`,
      params: [event.eventId, event.ticketId],
    });
    await dataSource.transaction(async (manager) => {
      deferOutboxWrites(manager);
      await appendToOutbox(manager, [deferredFirst]);
      await appendToOutbox(manager, [withChange], change(withChange));
      await writeDeferredOutbox(manager); // nothing left to write
    });
    const rows: { event_id: string; statement: string }[] = await dataSource.query(
      `SELECT event_id, cmin::text AS statement FROM ${SCHEMA}.outbox_message ORDER BY id`,
    );
    expect(rows.map((r) => r.event_id)).toEqual([deferredFirst.eventId, withChange.eventId]);
    expect(new Set(rows.map((r) => r.statement)).size).toBe(1);
    expect((await effects()).map((e) => e.eventId)).toEqual([withChange.eventId]);

    const rolledBack = received('along-ticket', 3);
    await expect(
      dataSource.transaction(async (manager) => {
        await appendToOutbox(manager, [rolledBack], change(rolledBack));
        throw new Error('the request failed after');
      }),
    ).rejects.toThrow('the request failed after');
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.outbox_message`)).toEqual([{ n: 2 }]);
    expect(await effects()).toHaveLength(1);
  });

  it('refuses to append outside a transaction', async () => {
    await expect(appendToOutbox(dataSource.manager, [received(uuidv7(), 1)])).rejects.toThrow(/inside a transaction/);
  });

  it('publishes in order per ticket and the consumer applies every event once', async () => {
    await startConsumer('order-check', { 'ticket.received': countEffect });
    const tickets = [uuidv7(), uuidv7(), uuidv7(), uuidv7()];
    const written: EventEnvelope[] = [];
    for (let n = 0; n < 40; n += 1) {
      const event = received(tickets[n % tickets.length], n);
      written.push(event);
      await writeThroughOutbox([event]);
    }
    const relay = new OutboxRelay(dataSource, bus, { pollIntervalMs: 50 });
    relay.start();
    try {
      await waitFor('40 effects', async () => (await effects()).length === 40);
    } finally {
      await relay.stop();
    }
    const applied = await effects();
    expect(applied.every((e) => e.times === 1)).toBe(true);
    for (const ticket of tickets) {
      const expected = written.filter((e) => e.ticketId === ticket).map((e) => e.eventId);
      expect(applied.filter((e) => e.ticketId === ticket).map((e) => e.eventId)).toEqual(expected);
    }
    expect((await relay.backlog()).pending).toBe(0);
  });

  it('is woken by the commits of its own process that wrote rows, not by a poll, and not by a rollback', async () => {
    const published: string[] = [];
    const recording: MessagePublisher = {
      publish: async (messages) => void published.push(...messages.map((m) => parseEvent(m.value as string).eventId)),
    };
    // A poll an hour apart: only the commits can make it publish within the test.
    const relay = new OutboxRelay(dataSource, recording, { pollIntervalMs: 3_600_000 });
    relay.start();
    try {
      await sleep(200); // its first look found nothing; it sleeps now
      const inTransaction = received(uuidv7(), 1);
      await writeThroughOutbox([inTransaction]);
      await waitFor('the committed event published', () => published.includes(inTransaction.eventId), { timeoutMs: 5_000 });

      const alone = received(uuidv7(), 2);
      await appendToOutbox(dataSource.manager, [alone], {
        sql: `INSERT INTO ${SCHEMA}.applied_effect (event_id, ticket_id, times) VALUES ($1, $2, 1)`,
        params: [alone.eventId, alone.ticketId],
      });
      await waitFor('the event written with its state change published', () => published.includes(alone.eventId), { timeoutMs: 5_000 });

      // Rows written by a rolled-back transaction wake nothing (and there is nothing to publish).
      await expect(
        dataSource.transaction(async (manager) => {
          await appendToOutbox(manager, [received(uuidv7(), 3)]);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      // A row committed by another process (here: plain SQL, no appendToOutbox) waits for the poll.
      await dataSource.query(
        `INSERT INTO ${SCHEMA}.outbox_message (event_id, event_type, topic, message_key, message, headers)
         SELECT $1::uuid, 'ticket.received', $2, $3, $4, '{}'::jsonb`,
        [uuidv7(), Topics.intakeEvents, 'other-process', serializeEvent(received(uuidv7(), 4))],
      );
      await sleep(500);
      expect(published).toHaveLength(2);
      expect((await relay.backlog()).pending).toBe(1);
    } finally {
      await relay.stop();
    }
  });

  it('re-publishes after the relay dies between publishing and marking, and the consumer applies once', async () => {
    const events = [received(uuidv7(), 1), received(uuidv7(), 2), received(uuidv7(), 3)];
    await writeThroughOutbox(events);

    // The broker acknowledged, then the relay's process died before its transaction committed.
    const dyingPublisher: MessagePublisher = {
      publish: async (messages: OutgoingMessage[]) => {
        await bus.publish(messages);
        throw new Error('relay process killed after publish');
      },
    };
    await expect(new OutboxRelay(dataSource, dyingPublisher).relayOnce()).rejects.toThrow('killed');
    expect((await new OutboxRelay(dataSource, bus).backlog()).pending).toBe(3);

    expect(await new OutboxRelay(dataSource, bus).relayOnce()).toBe(3);
    const onWire = (await readTopics([`${namespace}${Topics.intakeEvents}`])).filter((r) =>
      events.some((e) => r.value?.includes(e.eventId)),
    );
    expect(onWire).toHaveLength(6); // every event twice on the topic…

    const consumer = await startConsumer('crash-check', { 'ticket.received': countEffect });
    await waitFor('the duplicates to be seen', () => consumer.stats.duplicates >= 3);
    const applied = await effects();
    expect(applied.map((e) => [e.eventId, e.times]).sort()).toEqual(events.map((e) => [e.eventId, 1]).sort()); // …applied once
  });

  it('lets two relays run at once without publishing a row twice', async () => {
    const events = Array.from({ length: 30 }, (_, n) => received(uuidv7(), n));
    await writeThroughOutbox(events);
    const published: string[] = [];
    const recording: MessagePublisher = {
      publish: async (messages) => {
        published.push(...messages.map((m) => parseEvent(m.value as string).eventId));
        await bus.publish(messages);
      },
    };
    const a = new OutboxRelay(dataSource, recording, { batchSize: 5 });
    const b = new OutboxRelay(dataSource, recording, { batchSize: 5 });
    while ((await a.backlog()).pending > 0) await Promise.all([a.relayOnce(), b.relayOnce()]);
    expect(published).toEqual(events.map((e) => e.eventId));
  });
});

describe('idempotent consumer with dead letters', () => {
  async function produceRaw(values: (string | Buffer)[], key = 'poison-ticket'): Promise<void> {
    await bus.publish(values.map((value) => ({ topic: Topics.intakeEvents, key, value })));
  }

  async function deadLetters(): Promise<DeadLetter[]> {
    const records = await readTopics([`${namespace}${deadLetterTopic('assignment')}`]);
    return records.map((r) => JSON.parse(r.value as string) as DeadLetter);
  }

  it('sends poison messages to the dead-letter topic with their error and processes the next one', async () => {
    const consumer = await startConsumer('poison-check', { 'ticket.received': countEffect });
    const before = (await deadLetters()).length;
    const good = received('poison-ticket', 7);
    const invalid = { ...received('poison-ticket', 8), payload: { regionCode: 'nowhere' } };
    const unknown = { ...received('poison-ticket', 9), type: 'ticket.teleported' };
    // A payload this consumer does not act on is passed over, valid or not: not poison to it.
    const notOurs = { ...received('poison-ticket', 10), type: 'ticket.repeat-linked', payload: { regionCode: 'nowhere' } };
    await produceRaw([
      '{not json',
      serializeEvent(unknown),
      serializeEvent(notOurs as EventEnvelope),
      serializeEvent(invalid as EventEnvelope),
      Buffer.from([0xff, 0xfe, 0x00]),
      serializeEvent(good),
    ]);
    await waitFor('the good event to be applied', async () => (await effects()).some((e) => e.eventId === good.eventId));
    const letters = await waitFor('four dead letters', async () => {
      const all = (await deadLetters()).slice(before);
      return all.length >= 4 ? all : undefined;
    });
    expect(letters.map((l) => l.error.kind)).toEqual(['malformed-json', 'unknown-type', 'invalid-payload', 'malformed-json']);
    expect(letters[0].value).toBe('{not json');
    expect(letters[2].error.details?.join()).toContain('regionCode');
    expect(letters[3].valueEncoding).toBe('base64');
    expect(Buffer.from(letters[3].value as string, 'base64')).toEqual(Buffer.from([0xff, 0xfe, 0x00]));
    expect(letters.every((l) => l.origin.topic === Topics.intakeEvents && l.consumer === 'poison-check')).toBe(true);
    expect(consumer.stats.deadLettered).toBe(4);
  });

  it('keeps, once, the events of a batch before a failing one and applies those after it', async () => {
    const first = received('middle-ticket', 1);
    const doomed = received('middle-ticket', 2);
    const last = received('middle-ticket', 3);
    let firstCalls = 0;
    await startConsumer('middle-check', {
      'ticket.received': async (event, tx) => {
        if (event.eventId === first.eventId) firstCalls += 1;
        if (event.eventId === doomed.eventId) throw new Error('no such region');
        await countEffect(event, tx);
      },
    });
    await produceRaw([first, doomed, last].map(serializeEvent), 'middle-ticket');
    await waitFor('the event after the failure', async () => (await effects()).some((e) => e.eventId === last.eventId));
    const applied = (await effects()).filter((e) => [first, doomed, last].some((x) => x.eventId === e.eventId));
    expect(applied.map((e) => [e.eventId, e.times])).toEqual([
      [first.eventId, 1],
      [last.eventId, 1],
    ]);
    // The whole batch was tried once (rolled back at the failure), the events before it once more.
    expect(firstCalls).toBeLessThanOrEqual(2);
    const inbox = await dataSource.getRepository(ProcessedEvent).findBy({ consumer: 'middle-check' });
    expect(inbox.map((r) => r.eventId).sort()).toEqual([first.eventId, last.eventId].sort());
  });

  it('retries a failing handler with backoff, dead-letters it after the last attempt, and moves on', async () => {
    const doomed = received('retry-ticket', 1);
    const flaky = received('retry-ticket', 2);
    const after = received('retry-ticket', 3);
    let flakyCalls = 0;
    const consumer = await startConsumer('retry-check', {
      'ticket.received': async (event, tx) => {
        if (event.eventId === doomed.eventId) throw new Error('department not found for region');
        if (event.eventId === flaky.eventId && ++flakyCalls < 2) throw new Error('lock timeout, try again');
        await countEffect(event, tx);
      },
    });
    const before = (await deadLetters()).length;
    await produceRaw([doomed, flaky, after].map(serializeEvent), 'retry-ticket');
    await waitFor('the event after the failures', async () => (await effects()).some((e) => e.eventId === after.eventId));
    const applied = (await effects()).map((e) => e.eventId);
    expect(applied).toEqual([flaky.eventId, after.eventId]);
    const letters = (await deadLetters()).slice(before);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ attempts: 3, error: { kind: 'handler-failed', message: 'department not found for region' } });
    expect(parseEvent(letters[0].value).eventId).toBe(doomed.eventId);
    expect(consumer.stats.retries).toBe(3); // two for the doomed event, one for the flaky one
    // The failed attempts left nothing behind: no inbox row for the dead-lettered event.
    const inbox = await dataSource.getRepository(ProcessedEvent).findBy({ consumer: 'retry-check' });
    expect(inbox.map((r) => r.eventId).sort()).toEqual([flaky.eventId, after.eventId].sort());
  });

  it('runs the batch step once per run in its transaction, and its failure fails the last event of the run', async () => {
    const [a, b, c] = [1, 2, 3].map((n) => received('batch-ticket', n));
    const runs: string[][] = [];
    const consumer = await startConsumer('batch-check', { 'ticket.received': countEffect }, undefined, {
      beforeCommit: async (events, manager) => {
        runs.push(events.map((e) => e.eventId));
        // What it writes commits or rolls back with the handlers' work.
        await manager.query(`UPDATE ${SCHEMA}.applied_effect SET times = times + 100 WHERE event_id = ANY($1::uuid[])`, [events.map((e) => e.eventId)]);
        if (events.some((e) => e.eventId === c.eventId)) throw new Error('recount failed');
      },
    });
    const before = (await deadLetters()).length;
    await produceRaw([a, b, c].map(serializeEvent), 'batch-ticket');
    const letters = await waitFor('the dead letter of the last event', async () => {
      const all = (await deadLetters()).slice(before);
      return all.length ? all : undefined;
    });
    expect(letters).toHaveLength(1);
    expect(parseEvent(letters[0].value).eventId).toBe(c.eventId);
    expect(letters[0].error).toMatchObject({ kind: 'handler-failed', message: 'recount failed' });
    // a and b applied once, with the batch step's write; nothing of the attempts that failed.
    expect((await effects()).map((e) => [e.eventId, e.times])).toEqual([
      [a.eventId, 101],
      [b.eventId, 101],
    ]);
    expect(runs.every((run) => run.length > 0)).toBe(true);
    expect(runs.filter((run) => run.includes(a.eventId) && !run.includes(c.eventId))).toHaveLength(1);
    expect(consumer.stats.deadLettered).toBe(1);
  });
});

describe('events a consumer emits', () => {
  it('are written once per run in one statement, in the order emitted, and never for an attempt that failed', async () => {
    const [a, doomed, c] = [1, 2, 3].map((n) => received('emit-ticket', n));
    // Each event handled emits one of its own (a follow-up with the handled event as cause);
    // the batch step emits one more after them.
    const followUp = (cause: EventEnvelope, n: number) =>
      createEvent('ticket.received', received('follow-up', n).payload as EventPayload<'ticket.received'>, { ticketId: cause.ticketId, cause });
    await startConsumer(
      'emit-check',
      {
        'ticket.received': async (event, tx) => {
          await countEffect(event, tx);
          await tx.emit([followUp(event, Number(event.payload.number.slice(-6)))]);
          if (event.eventId === doomed.eventId) throw new Error('refused after emitting');
        },
      },
      { maxAttempts: 2, initialDelayMs: 20, maxDelayMs: 50 },
      { beforeCommit: (events, manager) => appendToOutbox(manager, [followUp(events[events.length - 1], 99)]) },
    );
    await bus.publish([a, doomed, c].map((e) => ({ topic: Topics.intakeEvents, key: 'emit-ticket', value: serializeEvent(e) })));
    await waitFor('c applied', async () => (await effects()).some((e) => e.eventId === c.eventId));
    const rows: { cause: string; number: string; tx: string; statement: string }[] = await dataSource.query(
      `SELECT message::jsonb ->> 'causationId' AS cause, message::jsonb -> 'payload' ->> 'number' AS number,
              xmin::text AS tx, cmin::text AS statement
         FROM ${SCHEMA}.outbox_message ORDER BY id`,
    );
    // Nothing of the doomed event's emission: its attempts rolled back, their rows with them.
    expect(rows.filter((r) => r.cause === doomed.eventId && !r.number.endsWith('99'))).toEqual([]);
    const ofHandlers = rows.filter((r) => !r.number.endsWith('99')).map((r) => r.cause);
    expect(ofHandlers).toEqual([a.eventId, c.eventId]);
    // Each transaction's rows came from one statement, the batch step's after the handlers'.
    const byTransaction = new Map<string, typeof rows>();
    for (const r of rows) byTransaction.set(r.tx, [...(byTransaction.get(r.tx) ?? []), r]);
    for (const group of byTransaction.values()) {
      expect(new Set(group.map((r) => r.statement)).size).toBe(1);
      expect(group[group.length - 1].number.endsWith('99')).toBe(true);
    }
  });
});

describe('placing a stopped consumer group (what a replay does)', () => {
  it('commits the positions of every topic at once, and refuses while the group has a live member', async () => {
    const topics = [Topics.intakeEvents, Topics.assignmentEvents, Topics.supervisionEvents];
    await bus.ensureTopics(topics);
    const positions = topics.flatMap((topic, t) => [0, 1, 2].map((partition) => ({ topic, partition, offset: String(10 * t + partition + 1) })));
    await bus.placeConsumerGroup('replayed', positions);
    const admin = new Kafka({ clientId: 'messaging-int-offsets', brokers: ['127.0.0.1:9092'], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const committed = await admin.fetchOffsets({ groupId: `${namespace}replayed`, topics: topics.map((t) => `${namespace}${t}`) });
      const seen = committed.flatMap((c) => c.partitions.map((p) => `${c.topic.slice(namespace.length)}/${p.partition}@${p.offset}`)).sort();
      expect(seen).toEqual(positions.map((p) => `${p.topic}/${p.partition}@${p.offset}`).sort());
    } finally {
      await admin.disconnect();
    }

    // A live member (the service still running): refused, and nothing moved.
    const consumer = new EventConsumer(dataSource, bus, { name: 'replayed', service: 'assignment', topics: [Topics.intakeEvents], handlers: {} });
    consumers.push(consumer);
    await consumer.start();
    await waitFor('the member to join', async () => consumer.isJoined());
    await expect(bus.placeConsumerGroup('replayed', [{ topic: Topics.intakeEvents, partition: 0, offset: '0' }])).rejects.toThrow(/live member/);
  });
});
