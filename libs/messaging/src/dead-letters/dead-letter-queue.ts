import os from 'node:os';
import { DeadLetter, DeadLetterErrorKind, deadLetterReplaysTopic, deadLetterTopic, SERVICE_NAMES, ServiceName } from '@hotline/contracts';
import { Admin, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { compareOffsets, readTopicsToEnd, SnapshotRecord } from './topic-snapshot';

/** Every kind a consumer dead-letters with (kept in step with `DeadLetterErrorKind`). */
export const DEAD_LETTER_ERROR_KINDS = [
  'malformed-json',
  'invalid-envelope',
  'unknown-type',
  'unsupported-version',
  'invalid-payload',
  'handler-failed',
] as const satisfies readonly DeadLetterErrorKind[];
// Fails to compile when the contract gains a kind this list lacks.
const _everyKindListed: [Exclude<DeadLetterErrorKind, (typeof DEAD_LETTER_ERROR_KINDS)[number]>] extends [never] ? true : never = true;

/**
 * Kinds a replay never re-publishes: bytes that are not JSON stay not JSON whatever is deployed,
 * so replaying them could only dead-letter them again (and again, on every `--all`). They can
 * still be listed and inspected. Every other kind may be cured by a fix (a handler, a consumer
 * that learned a new event type or version, a relaxed schema).
 */
export const UNREPLAYABLE_KINDS: readonly DeadLetterErrorKind[] = ['malformed-json'];

/** Header a replayed message carries: `<dlq topic>/<partition>/<offset>` of its dead letter. */
export const REPLAYED_FROM_HEADER = 'dlq-replayed-from';

/*
 * Replays of one service's dead letters are recorded on `deadLetterReplaysTopic(service)`.
 * Why a compacted Kafka topic and not a table: the dead letters themselves live only in Kafka,
 * and each service has its own database, so a table would need one more schema per service (and
 * database credentials in an operator's tool that otherwise only talks to the broker). Keyed by
 * the dead letter's coordinate, compaction keeps exactly the latest record per dead letter for
 * good, it is read with the same read-to-the-end used for the DLQ, and the record sits next to
 * the letter it describes (same namespace, same retention story).
 */

/** What a replay wrote down about one dead letter it re-published (the compacted topic's value). */
export interface ReplayMark {
  dlq: { topic: string; partition: number; offset: string };
  consumer: string;
  errorKind: string;
  replayedAt: string;
  /** Where the re-published message landed (canonical topic name). */
  to: { topic: string; partition: number; offset: string };
  by: string;
}

/** One record of a dead-letter topic. */
export interface DeadLetterEntry {
  /** `<partition>:<offset>` of the record in the dead-letter topic. */
  id: string;
  /** The canonical dead-letter topic (without namespace). */
  topic: string;
  partition: number;
  offset: string;
  /** When the record was written to the dead-letter topic (ISO). */
  writtenAt: string;
  headers: Record<string, string>;
  /** The dead letter, or undefined when the record is not one (see `unreadable`). */
  letter?: DeadLetter;
  unreadable?: string;
  /** Set once a replay has re-published it. */
  replay?: ReplayMark;
}

export interface DeadLetterFilter {
  consumer?: string;
  kind?: DeadLetterErrorKind;
  /** Canonical origin topic, e.g. `hotline.intake.events.v1`. */
  originTopic?: string;
  /** Failed at or after this moment. */
  since?: Date;
  status?: 'pending' | 'replayed';
}

export interface DeadLetterQueueOptions {
  service: ServiceName;
  brokers: string[];
  /** KAFKA_NAMESPACE: prepended to every topic name on the wire. */
  namespace?: string;
  clientId?: string;
  /** How long reading a topic to its end may take before giving up (ms). */
  readTimeoutMs?: number;
  /** Who is replaying, recorded with each replay (defaults to user@host). */
  operator?: string;
}

export type ReplaySelection = { ids: string[] } | { all: true; filter?: DeadLetterFilter };

export type ReplaySkipReason = 'already-replayed' | 'unreplayable-kind' | 'unreadable' | 'origin-topic-missing';

export interface ReplayReport {
  dryRun: boolean;
  /** Re-published (or, in a dry run, would be), in the order they were sent. */
  replayed: { entry: DeadLetterEntry; to: { topic: string; partition?: number; offset?: string } }[];
  skipped: { entry: DeadLetterEntry; reason: ReplaySkipReason; detail: string }[];
}

/** A bad id, an unknown dead letter, a bad service: the operator's mistake, not the broker's. */
export class DeadLetterToolError extends Error {
  override readonly name = 'DeadLetterToolError';
}

/** `<partition>:<offset>`, both non-negative integers. */
export function parseDeadLetterId(id: string): { partition: number; offset: string } {
  const match = /^(\d+):(\d+)$/.exec(id.trim());
  if (!match) throw new DeadLetterToolError(`'${id}' is not a dead-letter id: expected <partition>:<offset>, e.g. 0:12`);
  return { partition: Number(match[1]), offset: BigInt(match[2]).toString() };
}

/** The original message bytes a dead letter carries (decoded from base64 when it was not UTF-8). */
export function deadLetterValue(letter: DeadLetter): Buffer | null {
  if (letter.value === null) return null;
  return letter.valueEncoding === 'base64' ? Buffer.from(letter.value, 'base64') : Buffer.from(letter.value, 'utf8');
}

export function matchesFilter(entry: DeadLetterEntry, filter: DeadLetterFilter = {}): boolean {
  const letter = entry.letter;
  if (filter.status === 'pending' && entry.replay) return false;
  if (filter.status === 'replayed' && !entry.replay) return false;
  const consumer = letter?.consumer ?? entry.headers['dlq-consumer'];
  if (filter.consumer !== undefined && consumer !== filter.consumer) return false;
  const kind = letter?.error.kind ?? entry.headers['dlq-error-kind'];
  if (filter.kind !== undefined && kind !== filter.kind) return false;
  if (filter.originTopic !== undefined && letter?.origin.topic !== filter.originTopic) return false;
  if (filter.since !== undefined) {
    const failedAt = Date.parse(letter?.failedAt ?? entry.writtenAt);
    if (!(failedAt >= filter.since.getTime())) return false;
  }
  return true;
}

/**
 * Operator's access to one service's dead-letter topic: list, inspect, replay.
 *
 * Reading never joins the service's consumer group (a throwaway, non-committing reader reads
 * each topic to its current end). A replay re-publishes the original key, value and headers to
 * the origin topic with an idempotent, acks=all producer, then records the replay in
 * `deadLetterReplaysTopic(service)`, so a dead letter is re-published at most once however often
 * the same replay is run. Published-then-recorded, in that order: a crash in between means the
 * next run publishes it again, which the consumers' inbox makes harmless; the other order could
 * record a replay that never happened and lose the message.
 */
export class DeadLetterQueue {
  readonly service: ServiceName;
  private readonly namespace: string;
  private readonly kafka: Kafka;
  private admin?: Admin;
  private producer?: Producer;

  constructor(private readonly options: DeadLetterQueueOptions) {
    if (!(SERVICE_NAMES as readonly string[]).includes(options.service)) {
      throw new DeadLetterToolError(`unknown service '${options.service}' (one of ${SERVICE_NAMES.join(', ')})`);
    }
    this.service = options.service;
    this.namespace = options.namespace ?? '';
    this.kafka = new Kafka({
      clientId: options.clientId ?? 'hotline-dlq',
      brokers: options.brokers,
      logLevel: logLevel.ERROR,
      logCreator: () => (entry) => {
        if (JSON.stringify(entry.log).includes('TOPIC_ALREADY_EXISTS')) return;
        // The operator sees our errors; kafkajs's own chatter would bury them.
        if (entry.level <= logLevel.ERROR && process.env.DLQ_DEBUG) process.stderr.write(`kafka ${entry.namespace}: ${entry.log.message}\n`);
      },
      retry: { initialRetryTime: 300, retries: 5 },
    });
  }

  /** The canonical dead-letter topic of the service. */
  get topic(): string {
    return deadLetterTopic(this.service);
  }

  /** The dead-letter topic as named on the broker (with namespace). */
  get wireTopic(): string {
    return this.wire(this.topic);
  }

  async topicExists(): Promise<boolean> {
    const admin = await this.connectAdmin();
    return (await admin.listTopics()).includes(this.wireTopic);
  }

  /** Every dead letter now in the topic that passes the filter, oldest first. */
  async list(filter: DeadLetterFilter = {}): Promise<DeadLetterEntry[]> {
    return (await this.readAll())
      .filter((e) => matchesFilter(e, filter))
      .sort((a, b) => Date.parse(a.writtenAt) - Date.parse(b.writtenAt) || a.partition - b.partition || compareOffsets(a.offset, b.offset));
  }

  /** One dead letter by its `<partition>:<offset>`; throws DeadLetterToolError when there is none. */
  async inspect(id: string): Promise<DeadLetterEntry> {
    const { partition, offset } = parseDeadLetterId(id);
    const found = (await this.readAll()).find((e) => e.partition === partition && e.offset === offset);
    if (!found) throw new DeadLetterToolError(`no dead letter ${partition}:${offset} in ${this.wireTopic}`);
    return found;
  }

  /**
   * Re-publishes the selected dead letters to their origin topics (see the class comment).
   * Unknown ids fail the whole call before anything is published.
   */
  async replay(selection: ReplaySelection, { dryRun = false }: { dryRun?: boolean } = {}): Promise<ReplayReport> {
    const all = await this.readAll();
    let chosen: DeadLetterEntry[];
    if ('ids' in selection) {
      if (!selection.ids.length) throw new DeadLetterToolError('nothing selected: give dead-letter ids or select all');
      const byId = new Map(all.map((e) => [e.id, e]));
      const wanted = [...new Set(selection.ids.map((id) => parseDeadLetterId(id)).map((c) => `${c.partition}:${c.offset}`))];
      const missing = wanted.filter((id) => !byId.has(id));
      if (missing.length) throw new DeadLetterToolError(`no dead letter ${missing.join(', ')} in ${this.wireTopic}`);
      chosen = wanted.map((id) => byId.get(id) as DeadLetterEntry);
    } else {
      chosen = all.filter((e) => matchesFilter(e, selection.filter));
    }
    // In the dead-letter topic's own order: letters of one key share a partition (the DLQ is
    // keyed like the origin), so a key's messages go back in the order they failed.
    chosen.sort((a, b) => a.partition - b.partition || compareOffsets(a.offset, b.offset));

    const report: ReplayReport = { dryRun, replayed: [], skipped: [] };
    const existing = new Set(await (await this.connectAdmin()).listTopics());
    const toSend: { entry: DeadLetterEntry; letter: DeadLetter }[] = [];
    for (const entry of chosen) {
      const letter = entry.letter;
      if (!letter) {
        report.skipped.push({ entry, reason: 'unreadable', detail: entry.unreadable ?? 'not a dead letter' });
      } else if (entry.replay) {
        const r = entry.replay;
        report.skipped.push({
          entry,
          reason: 'already-replayed',
          detail: `replayed ${r.replayedAt} by ${r.by} to ${r.to.topic}/${r.to.partition}@${r.to.offset}`,
        });
      } else if (UNREPLAYABLE_KINDS.includes(letter.error.kind)) {
        report.skipped.push({ entry, reason: 'unreplayable-kind', detail: `${letter.error.kind} can never be applied, replaying would only dead-letter it again` });
      } else if (!existing.has(this.wire(letter.origin.topic))) {
        report.skipped.push({ entry, reason: 'origin-topic-missing', detail: `origin topic ${this.wire(letter.origin.topic)} does not exist` });
      } else {
        toSend.push({ entry, letter });
      }
    }
    if (dryRun) {
      report.replayed = toSend.map(({ entry, letter }) => ({ entry, to: { topic: letter.origin.topic } }));
      return report;
    }
    if (!toSend.length) return report;

    await this.ensureReplaysTopic();
    const producer = await this.connectProducer();
    const by = this.options.operator ?? operatorName();
    for (const { entry, letter } of toSend) {
      const [sent] = await producer.send({
        topic: this.wire(letter.origin.topic),
        acks: -1,
        messages: [
          {
            key: letter.key,
            value: deadLetterValue(letter),
            headers: { ...letter.headers, [REPLAYED_FROM_HEADER]: `${this.topic}/${entry.partition}/${entry.offset}` },
          },
        ],
      });
      const mark: ReplayMark = {
        dlq: { topic: this.topic, partition: entry.partition, offset: entry.offset },
        consumer: letter.consumer,
        errorKind: letter.error.kind,
        replayedAt: new Date().toISOString(),
        to: { topic: letter.origin.topic, partition: sent.partition, offset: sent.baseOffset ?? sent.offset ?? '?' },
        by,
      };
      await producer.send({
        topic: this.wire(deadLetterReplaysTopic(this.service)),
        acks: -1,
        messages: [{ key: entry.id, value: JSON.stringify(mark), headers: { 'content-type': 'application/json' } }],
      });
      entry.replay = mark;
      report.replayed.push({ entry, to: mark.to });
    }
    return report;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.producer?.disconnect(), this.admin?.disconnect()]);
    this.producer = undefined;
    this.admin = undefined;
  }

  /** Dead letters joined with their replay marks, in topic order. */
  private async readAll(): Promise<DeadLetterEntry[]> {
    const replaysWire = this.wire(deadLetterReplaysTopic(this.service));
    const records = await readTopicsToEnd(this.kafka, await this.connectAdmin(), [this.wireTopic, replaysWire], {
      timeoutMs: this.options.readTimeoutMs,
    });
    const marks = new Map<string, ReplayMark>();
    for (const r of records.filter((r) => r.topic === replaysWire)) {
      const key = r.key?.toString('utf8');
      if (!key) continue;
      if (r.value === null) marks.delete(key); // a tombstone un-records a replay
      else {
        try {
          marks.set(key, JSON.parse(r.value.toString('utf8')) as ReplayMark);
        } catch {
          // not ours: ignore
        }
      }
    }
    return records.filter((r) => r.topic === this.wireTopic).map((r) => this.toEntry(r, marks.get(`${r.partition}:${r.offset}`)));
  }

  private toEntry(record: SnapshotRecord, replay: ReplayMark | undefined): DeadLetterEntry {
    const entry: DeadLetterEntry = {
      id: `${record.partition}:${record.offset}`,
      topic: this.topic,
      partition: record.partition,
      offset: record.offset,
      writtenAt: new Date(Number(record.timestamp)).toISOString(),
      headers: record.headers,
      replay,
    };
    try {
      const parsed = JSON.parse(record.value?.toString('utf8') ?? 'null') as DeadLetter | null;
      if (!parsed || typeof parsed !== 'object' || !parsed.error || !parsed.origin || typeof parsed.origin.topic !== 'string') {
        entry.unreadable = 'the record is not a DeadLetter (no error/origin)';
      } else {
        entry.letter = parsed;
      }
    } catch (err) {
      entry.unreadable = `the record is not JSON (${(err as Error).message})`;
    }
    return entry;
  }

  private async ensureReplaysTopic(): Promise<void> {
    const admin = await this.connectAdmin();
    const topic = this.wire(deadLetterReplaysTopic(this.service));
    if ((await admin.listTopics()).includes(topic)) return;
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: [
          {
            topic,
            numPartitions: 1, // a handful of records per incident; one partition reads fastest
            replicationFactor: -1,
            configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
          },
        ],
      });
    } catch (err) {
      if (!JSON.stringify(err).includes('TOPIC_ALREADY_EXISTS') && !String(err).includes('already exists')) throw err;
    }
  }

  private async connectAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  private async connectProducer(): Promise<Producer> {
    if (!this.producer) {
      // Same partitioner as the services' bus, so a replayed key lands where its key's events do.
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      this.producer = producer;
    }
    return this.producer;
  }

  private wire(name: string): string {
    return this.namespace + name;
  }
}

/** Reads a service's dead letters once (connects, reads to the end, disconnects). */
export async function listDeadLetters(options: DeadLetterQueueOptions & { filter?: DeadLetterFilter }): Promise<DeadLetterEntry[]> {
  const queue = new DeadLetterQueue(options);
  try {
    return await queue.list(options.filter);
  } finally {
    await queue.close();
  }
}

function operatorName(): string {
  try {
    return `${os.userInfo().username}@${os.hostname()}`;
  } catch {
    return os.hostname();
  }
}
