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
 *
 * kafkajs 2 cannot assign partitions without a group, so this uses a throwaway group that
 * commits nothing (it disappears once we leave) and reads from the beginning. Progress is
 * tracked on END_BATCH_PROCESS, which kafkajs also emits for batches holding only control
 * records or compacted-away offsets, so a partition whose last offsets are not deliverable
 * still counts as read to its end.
 */
export async function readTopicsToEnd(
  kafka: Kafka,
  admin: Admin,
  wireTopics: string[],
  { timeoutMs = 30_000, groupPrefix = 'hotline-dlq-reader' }: { timeoutMs?: number; groupPrefix?: string } = {},
): Promise<SnapshotRecord[]> {
  const existing = new Set(await admin.listTopics());
  const topics = [...new Set(wireTopics)].filter((t) => existing.has(t));
  const ends = new Map<string, bigint>();
  for (const topic of topics) {
    for (const o of await admin.fetchTopicOffsets(topic)) {
      if (BigInt(o.high) > BigInt(o.low)) ends.set(slot(topic, o.partition), BigInt(o.high));
    }
  }
  if (!ends.size) return [];

  const open = new Set(ends.keys());
  const records: SnapshotRecord[] = [];
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

  let timer: NodeJS.Timeout | undefined;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const key = slot(batch.topic, batch.partition);
        const end = ends.get(key);
        if (end === undefined || !open.has(key)) return;
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
      },
    });
    await Promise.race([
      finished,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `reading ${topics.join(', ')} to its end took over ${timeoutMs} ms ` +
                  `(${records.length} records read, ${open.size} partition(s) unfinished)`,
              ),
            ),
          timeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
  }
  return records.sort(
    (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || compareOffsets(a.offset, b.offset),
  );
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
