/** Reads topics of the run from the beginning up to their end offsets now (after a load, not during it). */
import { randomBytes } from 'node:crypto';
import type { Kafka, Admin } from 'kafkajs';

export interface ReadMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  /** Broker timestamp: the producer's send time (CreateTime), ms since epoch. */
  timestamp: number;
  type: string;
  eventId: string;
  value: string;
}

export async function readTopics(
  kafka: Kafka,
  admin: Admin,
  wireTopics: string[],
  onMessage: (m: ReadMessage) => void,
  timeoutMs = 300_000,
): Promise<number> {
  const ends = new Map<string, bigint>();
  let remaining = 0;
  for (const topic of wireTopics) {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      if (BigInt(p.high) > BigInt(p.low)) {
        ends.set(`${topic}/${p.partition}`, BigInt(p.high));
        remaining += 1;
      }
    }
  }
  if (!remaining) return 0;
  const groupId = `${wireTopics[0].split('hotline.')[0]}bench-reader-${randomBytes(4).toString('hex')}`;
  const consumer = kafka.consumer({ groupId, maxBytes: 32 * 1024 * 1024, maxBytesPerPartition: 8 * 1024 * 1024 });
  let count = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: wireTopics, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${wireTopics.join(', ')} took over ${timeoutMs / 1000} s`)), timeoutMs);
      const done = new Set<string>();
      void consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const key = `${batch.topic}/${batch.partition}`;
            const end = ends.get(key);
            for (const m of batch.messages) {
              if (end !== undefined && BigInt(m.offset) >= end) break;
              const header = (name: string) => {
                const v = m.headers?.[name];
                return v === undefined ? '' : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
              };
              count += 1;
              onMessage({
                topic: batch.topic,
                partition: batch.partition,
                offset: m.offset,
                key: m.key ? m.key.toString('utf8') : null,
                timestamp: Number(m.timestamp),
                type: header('event-type'),
                eventId: header('event-id'),
                value: m.value ? m.value.toString('utf8') : '',
              });
            }
            const last = batch.messages[batch.messages.length - 1];
            if (end !== undefined && last && BigInt(last.offset) + 1n >= end) done.add(key);
            if (done.size >= remaining) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
  return count;
}

/** Sum of end offsets (messages ever written) of topics. */
export async function topicEnds(admin: Admin, wireTopics: string[]): Promise<number> {
  let sum = 0;
  for (const topic of wireTopics) {
    for (const p of await admin.fetchTopicOffsets(topic)) sum += Number(p.high);
  }
  return sum;
}

/** Messages a consumer group has committed on the topics (sum over partitions; unset counts as 0). */
export async function committed(admin: Admin, groupId: string, wireTopics: string[]): Promise<number> {
  let sum = 0;
  const offsets = await admin.fetchOffsets({ groupId, topics: wireTopics });
  for (const t of offsets) for (const p of t.partitions) sum += Math.max(0, Number(p.offset));
  return sum;
}
