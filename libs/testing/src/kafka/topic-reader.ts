import { Kafka, logLevel } from 'kafkajs';

export interface RawRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

export function testBrokers(): string[] {
  return (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
}

/**
 * Reads every record currently in the given (wire-named) topics, from the beginning, without
 * joining a consumer group: the whole of each partition up to its high watermark.
 */
export async function readTopics(wireTopics: string[]): Promise<RawRecord[]> {
  const kafka = new Kafka({ clientId: 'test-reader', brokers: testBrokers(), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  const topics = wireTopics.filter((t) => existing.has(t));
  const ends = new Map<string, Map<number, bigint>>();
  let total = 0n;
  for (const topic of topics) {
    const offsets = await admin.fetchTopicOffsets(topic);
    const byPartition = new Map<number, bigint>();
    for (const o of offsets) {
      // 0 marks a partition with nothing (left) to read.
      byPartition.set(o.partition, BigInt(o.high) > BigInt(o.low) ? BigInt(o.high) : 0n);
      total += BigInt(o.high) - BigInt(o.low);
    }
    ends.set(topic, byPartition);
  }
  await admin.disconnect();
  if (total === 0n) return [];
  const consumer = kafka.consumer({ groupId: `reader-${Date.now()}-${Math.random()}`, maxWaitTimeInMs: 100 });
  const records: RawRecord[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`read ${records.length} of ${total} records in time`)), 30_000);
    const remaining = () =>
      [...ends.values()].some((parts) => [...parts.values()].some((end) => end > 0n));
    consumer
      .run({
        eachMessage: async ({ topic, partition, message }) => {
          const end = ends.get(topic)?.get(partition) ?? 0n;
          if (BigInt(message.offset) < end) {
            records.push({
              topic,
              partition,
              offset: message.offset,
              key: message.key?.toString('utf8') ?? null,
              value: message.value?.toString('utf8') ?? null,
              headers: Object.fromEntries(
                Object.entries(message.headers ?? {}).map(([k, v]) => [k, v?.toString() ?? '']),
              ),
            });
          }
          if (BigInt(message.offset) + 1n >= end) ends.get(topic)?.set(partition, 0n);
          if (!remaining()) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return records;
}

/** Writes messages straight onto a (wire-named) topic, as a producing service would. */
export async function publishRaw(wireTopic: string, messages: { key: string | null; value: string }[]): Promise<void> {
  const kafka = new Kafka({ clientId: 'test-writer', brokers: testBrokers(), logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic: wireTopic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}
