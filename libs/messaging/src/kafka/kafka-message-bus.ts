import { withDeadline } from '@hotline/platform';
import { countTopicRecords, readTopicsToEnd, SnapshotRecord, streamTopicsToEnd } from '../dead-letters/topic-snapshot';
import { Admin, Consumer, IHeaders, Kafka, KafkaConfig, logLevel, Partitioners, Producer } from 'kafkajs';
import {
  IncomingMessage,
  MessageBus,
  OutgoingMessage,
  Subscription,
  SubscriptionOptions,
} from '../port/message-bus.port';

export interface KafkaBusOptions {
  clientId: string;
  brokers: string[];
  /**
   * Prepended to every topic and group name on the wire and stripped on the way in, so that a
   * test run can own its topics on a shared broker while code uses the canonical names.
   */
  namespace?: string;
  partitions?: number;
  logger?: { warn(message: string): void; error(message: string): void };
}

/** The kafkajs adapter behind the MessageBus port. */
/** How long one start-up step (connect, create topics, subscribe) may take before it is retried. */
const STEP_DEADLINE_MS = 30_000;

export class KafkaMessageBus implements MessageBus {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly consumers = new Set<Consumer>();
  private producerConnected = false;
  private readonly namespace: string;

  constructor(private readonly options: KafkaBusOptions) {
    this.namespace = options.namespace ?? '';
    const config: KafkaConfig = {
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.ERROR,
      logCreator: () => (entry) => {
        // Two consumers of one service creating the same topic at once is expected, not an error.
        if (JSON.stringify(entry.log).includes('TOPIC_ALREADY_EXISTS')) return;
        const text = `kafka ${entry.namespace}: ${entry.log.message}`;
        if (entry.level <= logLevel.ERROR) options.logger?.error(text);
        else options.logger?.warn(text);
      },
      retry: { initialRetryTime: 300, retries: 8 },
    };
    this.kafka = new Kafka(config);
    // Idempotent producer: the broker drops duplicates of a retried send, and one request in
    // flight keeps a partition's messages in the order we sent them.
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
    this.admin = this.kafka.admin();
  }

  /**
   * Connects the producer and the admin client. Every start-up step has a deadline: a broker
   * that accepts the connection but never answers (overloaded, half-started) must make the
   * caller retry with a log line, not wait for ever.
   */
  async connect(): Promise<void> {
    if (this.producerConnected) return;
    try {
      await withDeadline(Promise.all([this.producer.connect(), this.admin.connect()]), STEP_DEADLINE_MS, 'connecting to Kafka');
      this.producerConnected = true;
    } catch (err) {
      await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
      throw err;
    }
  }

  private topicsCreated: Promise<void> = Promise.resolve();

  /** One creation at a time per bus; a topic created meanwhile by someone else is fine. */
  ensureTopics(topics: string[]): Promise<void> {
    const next = this.topicsCreated.then(() => withDeadline(this.createMissingTopics(topics), STEP_DEADLINE_MS, 'creating topics'));
    this.topicsCreated = next.catch(() => undefined);
    return next;
  }

  private async createMissingTopics(topics: string[]): Promise<void> {
    const wanted = topics.map((t) => this.wire(t));
    const existing = new Set(await this.admin.listTopics());
    const missing = wanted.filter((t) => !existing.has(t));
    if (!missing.length) return;
    try {
      await this.admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: this.options.partitions ?? 3,
          replicationFactor: -1, // the broker's default
          // Events are the record projections are rebuilt from (a replay reads from the start):
          // kept for good, never aged out by the broker's default of a week.
          configEntries: [{ name: 'retention.ms', value: '-1' }],
        })),
      });
    } catch (err) {
      if (!JSON.stringify(err).includes('TOPIC_ALREADY_EXISTS') && !String(err).includes('already exists')) throw err;
    }
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (!messages.length) return;
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const m of messages) {
      const list = byTopic.get(m.topic) ?? [];
      list.push(m);
      byTopic.set(m.topic, list);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic: this.wire(topic),
        messages: list.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
      })),
    });
  }

  async subscribe(options: SubscriptionOptions): Promise<Subscription> {
    const consumer = this.kafka.consumer({
      groupId: this.wire(options.groupId),
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: 100,
    });
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      joined = true;
    });
    consumer.on(consumer.events.CRASH, () => {
      joined = false;
    });
    let running = true;
    try {
      this.consumers.add(consumer);
      await withDeadline(
        (async () => {
          await consumer.connect();
          await consumer.subscribe({ topics: options.topics.map((t) => this.wire(t)), fromBeginning: options.fromBeginning });
          await this.runConsumer(consumer, options, () => running);
        })(),
        STEP_DEADLINE_MS,
        `subscribing ${options.groupId}`,
      );
    } catch (err) {
      // A half-started consumer would hold a connection and never join; the caller retries.
      this.consumers.delete(consumer);
      await consumer.disconnect().catch(() => undefined);
      throw err;
    }
    return {
      isJoined: () => joined,
      stop: async () => {
        running = false;
        joined = false;
        // disconnect() waits for the batch in hand and commits the resolved offsets.
        await consumer.disconnect();
        this.consumers.delete(consumer);
      },
    };
  }

  private runConsumer(consumer: Consumer, options: SubscriptionOptions, running: () => boolean): Promise<void> {
    return consumer.run({
      autoCommit: true,
      autoCommitInterval: 1_000,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.concurrency ?? 1,
      eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
        const messages: IncomingMessage[] = batch.messages.map((m) => ({
          topic: this.canonical(batch.topic),
          partition: batch.partition,
          offset: m.offset,
          key: m.key ? m.key.toString('utf8') : null,
          value: m.value,
          headers: decodeHeaders(m.headers),
          timestamp: m.timestamp,
        }));
        await options.handleBatch(messages, {
          markProcessed: (m) => resolveOffset(m.offset),
          commit: () => commitOffsetsIfNecessary(),
          heartbeat: () => heartbeat(),
          isActive: () => running() && isRunning() && !isStale(),
        });
      },
    });
  }

  /** Every message the topics hold now, in partition order (canonical topic names). */
  async readAll(topics: string[]): Promise<IncomingMessage[]> {
    await this.connect();
    const records = await readTopicsToEnd(this.kafka, this.admin, topics.map((t) => this.wire(t)), {
      timeoutMs: 300_000,
      groupPrefix: `${this.namespace}hotline-replay-reader`,
    });
    return records.map((r) => this.incoming(r));
  }

  /**
   * Every message the topics hold now, handed to `onMessages` a fetched batch at a time (one
   * partition's, in offset order) and not kept: for reading more than fits in memory.
   */
  async readEach(topics: string[], onMessages: (messages: IncomingMessage[]) => Promise<void>): Promise<void> {
    await this.connect();
    await streamTopicsToEnd(this.kafka, this.admin, topics.map((t) => this.wire(t)), (records) => onMessages(records.map((r) => this.incoming(r))), {
      timeoutMs: 300_000,
      groupPrefix: `${this.namespace}hotline-replay-reader`,
    });
  }

  /** How many messages the topics hold now (what `readAll` and `readEach` would read). */
  async countMessages(topics: string[]): Promise<number> {
    await this.connect();
    return countTopicRecords(this.admin, topics.map((t) => this.wire(t)));
  }

  private incoming(r: SnapshotRecord): IncomingMessage {
    return {
      topic: this.canonical(r.topic),
      partition: r.partition,
      offset: r.offset,
      key: r.key ? r.key.toString('utf8') : null,
      value: r.value,
      headers: r.headers,
      timestamp: r.timestamp,
    };
  }

  /**
   * Places a stopped consumer group at these positions (the next offset to read per partition).
   * Kafka refuses while the group has live members; so does this, saying so.
   */
  async placeConsumerGroup(groupId: string, positions: { topic: string; partition: number; offset: string }[]): Promise<void> {
    await this.connect();
    const group = this.wire(groupId);
    const [described] = (await this.admin.describeGroups([group])).groups;
    if (described && described.members.length > 0) {
      throw new Error(`consumer group ${group} has ${described.members.length} live member(s): stop the service before a replay`);
    }
    if (!positions.length) return;
    // What kafkajs' admin.setOffsets does, for every topic at once: a member joins the empty
    // group, seeks (which commits) and leaves. setOffsets joins once per topic, and each join
    // waits out the broker's initial rebalance delay (≈ 5 s a topic for a replay's three).
    const consumer = this.kafka.consumer({ groupId: group, allowAutoTopicCreation: false, maxWaitTimeInMs: 100 });
    const topics = [...new Set(positions.map((p) => this.wire(p.topic)))];
    await consumer.connect();
    try {
      await consumer.subscribe({ topics, fromBeginning: true });
      await withDeadline(
        new Promise<void>((resolve, reject) => {
          consumer.on(consumer.events.FETCH, () => void consumer.stop().then(resolve, reject));
          consumer.run({ eachBatchAutoResolve: false, eachBatch: async () => undefined }).catch(reject);
          // Nothing is to be read: the member is there only to commit the positions.
          consumer.pause(topics.map((topic) => ({ topic })));
          for (const p of positions) consumer.seek({ topic: this.wire(p.topic), partition: p.partition, offset: p.offset });
        }),
        STEP_DEADLINE_MS * 2,
        `placing consumer group ${group}`,
      );
    } finally {
      await consumer.disconnect();
    }
  }

  /** Messages a consumer group has still to read, per partition (for the metrics). */
  async consumerLag(groupId: string, topics: string[]): Promise<{ topic: string; partition: number; lag: number }[]> {
    if (!this.producerConnected) return [];
    const existing = new Set(await this.admin.listTopics());
    const wanted = topics.map((t) => this.wire(t)).filter((t) => existing.has(t));
    if (!wanted.length) return [];
    const committed = await this.admin.fetchOffsets({ groupId: this.wire(groupId), topics: wanted });
    const lag: { topic: string; partition: number; lag: number }[] = [];
    for (const topic of committed) {
      const ends = new Map((await this.admin.fetchTopicOffsets(topic.topic)).map((p) => [p.partition, p]));
      for (const p of topic.partitions) {
        const end = ends.get(p.partition);
        if (!end) continue;
        const from = Number(p.offset) >= 0 ? Number(p.offset) : Number(end.low);
        lag.push({ topic: this.canonical(topic.topic), partition: p.partition, lag: Math.max(0, Number(end.high) - from) });
      }
    }
    return lag;
  }

  async ping(): Promise<boolean> {
    try {
      await this.admin.describeCluster();
      return true;
    } catch {
      return false;
    }
  }

  async disconnect(): Promise<void> {
    await Promise.allSettled([...this.consumers].map((c) => c.disconnect()));
    this.consumers.clear();
    // Both, whether connect() ran or not: the admin also connects on its own (ensureTopics), and
    // a socket left open keeps the process alive. Disconnecting an idle client does nothing.
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
    this.producerConnected = false;
  }

  private wire(name: string): string {
    return this.namespace + name;
  }

  private canonical(wireName: string): string {
    return this.namespace && wireName.startsWith(this.namespace) ? wireName.slice(this.namespace.length) : wireName;
  }
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.map(String).join(',') : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
  }
  return out;
}
