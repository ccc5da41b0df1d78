import { createEvent, DeadLetter, deadLetterReplaysTopic, EventEnvelope, EventPayload, serializeEvent, Topics, uuidv7 } from '@hotline/contracts';
import { createTestDatabase, readTopics, testBrokers, uniqueKafkaNamespace, waitFor } from '@hotline/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import {
  createMessagingTables,
  DeadLetterEntry,
  DeadLetterQueue,
  deadLetterValue,
  EventConsumer,
  KafkaMessageBus,
  listDeadLetters,
  OutboxMessage,
  ProcessedEvent,
  REPLAYED_FROM_HEADER,
} from '../src';

/** The effect of the test consumer: how many times each event was applied. */
@Entity({ name: 'applied_effect' })
class AppliedEffect {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' }) eventId: string;
  @Column({ type: 'int' }) times: number;
}

const SCHEMA = 'dead_letters_test';
const CONSUMER = 'dlq-check';
// One namespace for the file: the tests share the consumer and its dead-letter topic, and each
// test picks out its own dead letters.
const namespace = uniqueKafkaNamespace('dead-letters');
let dataSource: DataSource;
let bus: KafkaMessageBus;
let consumer: EventConsumer;
let queue: DeadLetterQueue;

/** The bug the operator fixes: until then the handler throws for tickets in region 500156. */
let fixed = false;

function received(ticketId: string, regionCode: string): EventEnvelope {
  const payload: EventPayload<'ticket.received'> = {
    number: '12333-20261122-000001',
    channel: 'phone',
    demandType: 'consultation',
    domain: 'social-insurance',
    urgency: 'normal',
    regionCode,
    title: '咨询失业保险金申领',
    content: '来电咨询失业保险金申领条件',
    callerPhoneHash: 'c'.repeat(64),
    receivedAt: '2026-11-22T09:00:00.000+08:00',
  };
  return createEvent('ticket.received', payload, { ticketId });
}

async function timesApplied(eventId: string): Promise<number> {
  const row = await dataSource.getRepository(AppliedEffect).findOneBy({ eventId });
  return row?.times ?? 0;
}

async function inboxRows(eventId: string): Promise<number> {
  return dataSource.getRepository(ProcessedEvent).countBy({ consumer: CONSUMER, eventId });
}

/** Records on a (canonical) topic now, summed over partitions. */
async function messagesOn(topic: string): Promise<number> {
  return (await readTopics([`${namespace}${topic}`])).length;
}

/** Deletes the record of a replay (a tombstone on the compacted topic), as if it was never written. */
async function forgetReplay(id: string): Promise<void> {
  const producer = new Kafka({ clientId: 'dead-letters-int-forget', brokers: testBrokers(), logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  try {
    await producer.send({ topic: `${namespace}${deadLetterReplaysTopic('assignment')}`, acks: -1, messages: [{ key: id, value: null }] });
  } finally {
    await producer.disconnect();
  }
}

function letterOf(entry: DeadLetterEntry): DeadLetter {
  if (!entry.letter) throw new Error(`${entry.id} is not a dead letter: ${entry.unreadable}`);
  return entry.letter;
}

async function deadLetterOf(predicate: (e: DeadLetterEntry) => boolean, what: string): Promise<DeadLetterEntry> {
  return waitFor(what, async () => (await queue.list()).find(predicate), { timeoutMs: 20_000, intervalMs: 250 });
}

beforeAll(async () => {
  const url = await createTestDatabase('hotline_test_dead_letters');
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
  await runner.query(`CREATE TABLE ${SCHEMA}.applied_effect (event_id uuid PRIMARY KEY, times int NOT NULL)`);
  await runner.release();

  bus = new KafkaMessageBus({ clientId: 'dead-letters-int', brokers: testBrokers(), namespace, partitions: 3 });
  await bus.connect();
  await bus.ensureTopics([Topics.intakeEvents]);
  consumer = new EventConsumer(dataSource, bus, {
    name: CONSUMER,
    service: 'assignment',
    topics: [Topics.intakeEvents],
    retry: { maxAttempts: 2, initialDelayMs: 20, maxDelayMs: 50 },
    handlers: {
      'ticket.received': async (event, tx) => {
        if (!fixed && event.payload.regionCode === '500156') throw new Error('no department serves region 500156');
        await tx.manager.query(
          `INSERT INTO ${SCHEMA}.applied_effect (event_id, times) VALUES ($1, 1)
           ON CONFLICT (event_id) DO UPDATE SET times = applied_effect.times + 1`,
          [event.eventId],
        );
      },
    },
  });
  await consumer.start();
  await waitFor('the consumer to join its group', () => consumer.isJoined(), { timeoutMs: 30_000 });
  queue = new DeadLetterQueue({ service: 'assignment', brokers: testBrokers(), namespace, clientId: 'dead-letters-int-tool' });
});

afterAll(async () => {
  await queue?.close();
  await consumer?.stop();
  await bus?.disconnect();
  await dataSource?.destroy();
});

describe('dead-letter tooling', () => {
  it('lists and inspects a failed event, replays it once after the fix, and never twice', async () => {
    const doomed = received(uuidv7(), '500156');
    const fine = received(doomed.ticketId, '500103');
    await bus.publish([doomed, fine].map((e) => ({ topic: Topics.intakeEvents, key: e.ticketId, value: serializeEvent(e) })));
    await waitFor('the event after the failure', async () => (await timesApplied(fine.eventId)) === 1);

    // Dead-lettered with its error, and visible through the tool (and the one-shot function).
    const entry = await deadLetterOf((e) => e.letter?.key === doomed.ticketId, 'the dead letter');
    expect(entry.id).toBe(`${entry.partition}:${entry.offset}`);
    expect(entry.letter).toMatchObject({
      consumer: CONSUMER,
      attempts: 2,
      error: { kind: 'handler-failed', message: 'no department serves region 500156' },
      origin: { topic: Topics.intakeEvents },
      valueEncoding: 'utf8',
    });
    expect(entry.headers).toMatchObject({ 'dlq-error-kind': 'handler-failed', 'dlq-consumer': CONSUMER });
    expect(entry.replay).toBeUndefined();
    const listed = await listDeadLetters({
      service: 'assignment',
      brokers: testBrokers(),
      namespace,
      filter: { kind: 'handler-failed', consumer: CONSUMER, originTopic: Topics.intakeEvents, since: new Date(Date.now() - 60_000) },
    });
    expect(listed.map((e) => e.id)).toEqual([entry.id]);
    expect(await queue.list({ kind: 'handler-failed', consumer: 'someone-else' })).toEqual([]);
    expect(await queue.list({ kind: 'handler-failed', since: new Date(Date.now() + 60_000) })).toEqual([]);
    const inspected = await queue.inspect(entry.id);
    expect(JSON.parse(String(deadLetterValue(letterOf(inspected)))).eventId).toBe(doomed.eventId);
    await expect(queue.inspect('9:999999')).rejects.toThrow(/no dead letter 9:999999/);
    await expect(queue.inspect('zero:12')).rejects.toThrow(/not a dead-letter id/);
    expect(await timesApplied(doomed.eventId)).toBe(0);
    expect(await inboxRows(doomed.eventId)).toBe(0);

    // A dry run says what it would do and publishes (and records) nothing.
    const onTopic = await messagesOn(Topics.intakeEvents);
    const dry = await queue.replay({ ids: [entry.id] }, { dryRun: true });
    expect(dry.replayed.map((r) => [r.entry.id, r.to.topic])).toEqual([[entry.id, Topics.intakeEvents]]);
    expect(await messagesOn(Topics.intakeEvents)).toBe(onTopic);
    expect(await messagesOn(deadLetterReplaysTopic('assignment'))).toBe(0);

    // The fix ships; the replay re-publishes the original message, which is applied once.
    fixed = true;
    const first = await queue.replay({ ids: [entry.id] });
    expect(first.replayed).toHaveLength(1);
    expect(first.replayed[0].to).toMatchObject({ topic: Topics.intakeEvents, partition: letterOf(entry).origin.partition });
    await waitFor('the replayed event to be applied', async () => (await timesApplied(doomed.eventId)) === 1);
    const republished = (await readTopics([`${namespace}${Topics.intakeEvents}`])).filter((r) => r.headers[REPLAYED_FROM_HEADER]);
    expect(republished).toHaveLength(1);
    expect(republished[0]).toMatchObject({
      key: doomed.ticketId,
      value: serializeEvent(doomed),
      headers: { [REPLAYED_FROM_HEADER]: `hotline.assignment.dlq.v1/${entry.partition}/${entry.offset}` },
    });

    // The same replay again, and a replay of everything: nothing is published a second time.
    const again = await queue.replay({ ids: [entry.id] });
    expect(again.replayed).toEqual([]);
    expect(again.skipped.map((s) => [s.entry.id, s.reason])).toEqual([[entry.id, 'already-replayed']]);
    const everything = await queue.replay({ all: true, filter: { kind: 'handler-failed' } });
    expect(everything.replayed).toEqual([]);
    expect(await messagesOn(Topics.intakeEvents)).toBe(onTopic + 1);
    expect((await queue.inspect(entry.id)).replay).toMatchObject({ to: { topic: Topics.intakeEvents }, errorKind: 'handler-failed' });
    expect(await queue.list({ status: 'pending', kind: 'handler-failed' })).toEqual([]);

    // Applied exactly once: one effect, one inbox row, and no new dead letter for it.
    await new Promise((r) => setTimeout(r, 500));
    expect(await timesApplied(doomed.eventId)).toBe(1);
    expect(await inboxRows(doomed.eventId)).toBe(1);
    expect((await queue.list()).filter((e) => e.letter?.key === doomed.ticketId)).toHaveLength(1);

    // Had the tool died between publishing and recording, the next run publishes again: the
    // consumer's inbox turns that into a duplicate, not a second application.
    await forgetReplay(entry.id);
    const duplicatesBefore = consumer.stats.duplicates;
    expect((await queue.replay({ ids: [entry.id] })).replayed).toHaveLength(1);
    await waitFor('the second copy to be seen as a duplicate', () => consumer.stats.duplicates > duplicatesBefore);
    expect(await timesApplied(doomed.eventId)).toBe(1);
    expect(await inboxRows(doomed.eventId)).toBe(1);
  });

  it('lists and inspects malformed messages (utf8 and base64) but never replays them', async () => {
    const key = `malformed-${uuidv7()}`;
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x31]);
    await bus.publish([
      { topic: Topics.intakeEvents, key, value: '{"eventId": 来电' },
      { topic: Topics.intakeEvents, key, value: bytes },
    ]);
    await deadLetterOf((e) => e.letter?.key === key && e.letter.valueEncoding === 'base64', 'both malformed dead letters');
    const malformed = (await queue.list({ kind: 'malformed-json' })).filter((e) => e.letter?.key === key);
    expect(malformed.map((e) => letterOf(e).valueEncoding)).toEqual(['utf8', 'base64']);

    const text = await queue.inspect(malformed[0].id);
    expect(letterOf(text).value).toBe('{"eventId": 来电');
    expect(letterOf(text).error.message).toMatch(/not JSON/);
    const binary = await queue.inspect(malformed[1].id);
    expect(deadLetterValue(letterOf(binary))).toEqual(bytes);

    const onTopic = await messagesOn(Topics.intakeEvents);
    const report = await queue.replay({ all: true, filter: { kind: 'malformed-json' } });
    expect(report.replayed).toEqual([]);
    expect(report.skipped.filter((s) => s.entry.letter?.key === key).map((s) => s.reason)).toEqual([
      'unreplayable-kind',
      'unreplayable-kind',
    ]);
    expect(await messagesOn(Topics.intakeEvents)).toBe(onTopic);
  });

  it('refuses unknown ids before publishing anything', async () => {
    const onTopic = await messagesOn(Topics.intakeEvents);
    const [some] = await queue.list();
    await expect(queue.replay({ ids: [some.id, '2:987654'] })).rejects.toThrow(/no dead letter 2:987654/);
    await expect(queue.replay({ ids: [] })).rejects.toThrow(/nothing selected/);
    expect(await messagesOn(Topics.intakeEvents)).toBe(onTopic);
  });
});
