import { randomUUID } from 'node:crypto';
import { Admin, IHeaders, Kafka } from 'kafkajs';

/** One record as it sits in a partition. */
export interface SnapshotRecord {
  /** The wire name (with any namespace). */
  topic: string;
  partition: number;
  offset: string;
  /** Kafka record timestamp, ms since the epoch as a string. */
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/**
 * Reads every record the given (wire-named) topics hold now: each partition from its start up
 * to the high watermark fetched before reading, never further. Missing topics read as empty.
 * Sorted by topic, partition and offset.
 */
export async function readTopicsToEnd(
  kafka: Kafka,
  admin: Admin,
  wireTopics: string[],
  options: { timeoutMs?: number; groupPrefix?: string } = {},
): Promise<SnapshotRecord[]> {
  const records: SnapshotRecord[] = [];
  await streamTopicsToEnd(kafka, admin, wireTopics, async (batch) => void records.push(...batch), options);
  return records.sort(
    (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || compareOffsets(a.offset, b.offset),
  );
}

/** How many records the (wire-named) topics hold now: what `streamTopicsToEnd` would read. */
export async function countTopicRecords(admin: Admin, wireTopics: string[]): Promise<number> {
  let count = 0n;
  for (const end of (await partitionEnds(admin, wireTopics)).values()) count += end.high - end.low;
  return Number(count);
}

/**
 * Like `readTopicsToEnd`, but hands the records over a fetched batch at a time (each batch one
 * partition's, in offset order; partitions interleave) and keeps none: what is read is bounded
 * by what `onRecords` keeps. The next batch is fetched once `onRecords` has settled.
 *
 * kafkajs 2 cannot assign partitions without a group, so this uses a throwaway group that
 * commits nothing (it disappears once we leave) and reads from the beginning. Progress is
 * tracked on END_BATCH_PROCESS, which kafkajs also emits for batches holding only control
 * records or compacted-away offsets, so a partition whose last offsets are not deliverable
 * still counts as read to its end. `timeoutMs` bounds the time without progress, so a long
 * read is not cut while it moves.
 */
export async function streamTopicsToEnd(
  kafka: Kafka,
  admin: Admin,
  wireTopics: string[],
  onRecords: (records: SnapshotRecord[]) => Promise<void>,
  { timeoutMs = 30_000, groupPrefix = 'hotline-dlq-reader' }: { timeoutMs?: number; groupPrefix?: string } = {},
): Promise<void> {
  const ends = new Map<string, bigint>();
  for (const [key, end] of await partitionEnds(admin, wireTopics)) if (end.high > end.low) ends.set(key, end.high);
  if (!ends.size) return;
  const topics = [...new Set([...ends.keys()].map((key) => key.split('\u0000')[0]))];

  const open = new Set(ends.keys());
  let read = 0;
  const consumer = kafka.consumer({
    groupId: `${groupPrefix}-${randomUUID()}`,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 100,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
  });
  let finish: (err?: unknown) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    finish = (err) => (err ? reject(err) : resolve());
  });
  finished.catch(() => undefined); // observed below; this only keeps an early crash from going unhandled
  let timer: NodeJS.Timeout | undefined;
  let progress: () => void = () => undefined;
  const stalled = new Promise<never>((_, reject) => {
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `reading ${topics.join(', ')} to its end made no progress for ${timeoutMs} ms ` +
                `(${read} records read, ${open.size} partition(s) unfinished)`,
            ),
          ),
        timeoutMs,
      );
    };
    progress = arm;
    arm();
  });
  stalled.catch(() => undefined);
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    const key = slot(payload.topic, payload.partition);
    const end = ends.get(key);
    if (end === undefined || payload.lastOffset === null || payload.lastOffset === undefined) return;
    if (BigInt(payload.lastOffset) + 1n >= end) open.delete(key);
    if (!open.size) finish();
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) finish(payload.error);
  });

  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, heartbeat }) => {
        const key = slot(batch.topic, batch.partition);
        const end = ends.get(key);
        if (end === undefined || !open.has(key)) return;
        const records: SnapshotRecord[] = [];
        for (const m of batch.messages) {
          if (BigInt(m.offset) >= end) break;
          records.push({
            topic: batch.topic,
            partition: batch.partition,
            offset: m.offset,
            timestamp: m.timestamp,
            key: m.key ?? null,
            value: m.value ?? null,
            headers: decodeHeaders(m.headers),
          });
        }
        if (!records.length) return;
        try {
          await onRecords(records);
        } catch (err) {
          finish(err);
          throw err;
        }
        read += records.length;
        progress();
        await heartbeat();
      },
    });
    await Promise.race([finished, stalled]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
  }
}

/** Low and high watermark of every partition of the topics that exist. */
async function partitionEnds(admin: Admin, wireTopics: string[]): Promise<Map<string, { low: bigint; high: bigint }>> {
  const existing = new Set(await admin.listTopics());
  const ends = new Map<string, { low: bigint; high: bigint }>();
  for (const topic of [...new Set(wireTopics)].filter((t) => existing.has(t))) {
    for (const o of await admin.fetchTopicOffsets(topic)) ends.set(slot(topic, o.partition), { low: BigInt(o.low), high: BigInt(o.high) });
  }
  return ends;
}

export function compareOffsets(a: string, b: string): number {
  const d = BigInt(a) - BigInt(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

export function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.map(String).join(',') : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
  }
  return out;
}

function slot(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
