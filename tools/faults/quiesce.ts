/**
 * Waiting until the system has settled: every timer that the run's minute-long SLA policy makes
 * due has come due and been fired, every outbox is published, every consumer group has read its
 * topics to the end, and nothing has changed for a few seconds.
 */
import { Admin, Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { CONSUMERS } from './checks';
import { Log, sleep } from './servers';

const SCHEMAS = ['intake', 'assignment', 'supervision', 'metrics'];

/** Consumer group → the topics it reads (from the consumers of each topic). */
function groups(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [topic, consumers] of Object.entries(CONSUMERS)) {
    for (const { consumer } of consumers) out.set(consumer, [...(out.get(consumer) ?? []), topic]);
  }
  return out;
}

async function lagOf(admin: Admin, namespace: string): Promise<{ total: number; detail: string[] }> {
  const existing = new Set(await admin.listTopics());
  let total = 0;
  const detail: string[] = [];
  const ends = new Map<string, Map<number, { low: number; high: number }>>();
  for (const [group, topics] of groups()) {
    const wire = topics.map((t) => namespace + t).filter((t) => existing.has(t));
    if (!wire.length) continue;
    const committed = await admin.fetchOffsets({ groupId: namespace + group, topics: wire });
    for (const topic of committed) {
      if (!ends.has(topic.topic)) {
        ends.set(topic.topic, new Map((await admin.fetchTopicOffsets(topic.topic)).map((p) => [p.partition, { low: Number(p.low), high: Number(p.high) }])));
      }
      for (const p of topic.partitions) {
        const end = ends.get(topic.topic)?.get(p.partition);
        if (!end) continue;
        const from = Number(p.offset) >= 0 ? Number(p.offset) : end.low;
        const lag = Math.max(0, end.high - from);
        if (lag) detail.push(`${group} ${topic.topic.slice(namespace.length)}[${p.partition}] ${lag}`);
        total += lag;
      }
    }
  }
  return { total, detail };
}

export interface Quiescence {
  quiet: boolean;
  waitedMs: number;
  last: string;
}

export async function waitForQuiescence(options: {
  databaseUrl: string;
  brokers: string[];
  namespace: string;
  timeoutMs: number;
  log: Log;
}): Promise<Quiescence> {
  const started = Date.now();
  const kafka = new Kafka({ clientId: 'faults-quiesce', brokers: options.brokers, logLevel: logLevel.NOTHING, retry: { retries: 2 } });
  let admin: Admin | null = null;
  let fingerprint = '';
  let stableSince: number | null = null;
  let last = 'not checked yet';
  let lastLogged = 0;
  try {
    while (Date.now() - started < options.timeoutMs) {
      const db = new Client({ connectionString: options.databaseUrl, connectionTimeoutMillis: 5_000 });
      db.on('error', () => undefined);
      try {
        await db.connect();
        const waiting: string[] = [];
        const { rows: timers } = await db.query<{ pending: number; late: number; until: Date | null }>(
          `SELECT count(*) FILTER (WHERE next_due_at <= now() - interval '3 seconds')::int AS late,
                  count(*) FILTER (WHERE next_due_at IS NOT NULL)::int AS pending,
                  max(deadline) FILTER (WHERE stage IN ('warning', 'deadline')) AS until
             FROM supervision.sla_clock WHERE status = 'running' AND limit_unit = 'minutes'`,
        );
        const timer = timers[0];
        if (timer.until && timer.until.getTime() > Date.now() - 3_000) {
          waiting.push(`timers due until ${timer.until.toISOString()}`);
        }
        if (timer.late) waiting.push(`${timer.late} clock stage(s) due but not fired`);
        let outbox = 0;
        let processed = 0;
        for (const schema of SCHEMAS) {
          const { rows } = await db.query<{ pending: number; processed: number }>(
            `SELECT (SELECT count(*) FROM ${schema}.outbox_message WHERE published_at IS NULL)::int AS pending,
                    (SELECT count(*) FROM ${schema}.processed_event)::int AS processed`,
          );
          outbox += rows[0].pending;
          processed += rows[0].processed;
        }
        if (outbox) waiting.push(`${outbox} outbox row(s) unpublished`);
        const { rows: timeline } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM metrics.timeline_entry`);
        if (!admin) {
          admin = kafka.admin();
          await admin.connect();
        }
        const lag = await lagOf(admin, options.namespace);
        if (lag.total) waiting.push(`consumer lag ${lag.total} (${lag.detail.slice(0, 4).join(', ')})`);
        const now = `${processed}/${timeline[0].n}`;
        if (waiting.length || now !== fingerprint) {
          stableSince = waiting.length ? null : Date.now();
          fingerprint = now;
          last = waiting.length ? waiting.join('; ') : 'settling';
        } else if (stableSince === null) {
          stableSince = Date.now();
        } else if (Date.now() - stableSince >= 4_000) {
          return { quiet: true, waitedMs: Date.now() - started, last: `${processed} events applied, ${timeline[0].n} on timelines` };
        }
      } catch (err) {
        last = `probe failed: ${(err as Error).message}`;
        await admin?.disconnect().catch(() => undefined);
        admin = null;
      } finally {
        await db.end().catch(() => undefined);
      }
      if (Date.now() - lastLogged > 15_000) {
        options.log(`waiting for the system to settle: ${last}`);
        lastLogged = Date.now();
      }
      await sleep(2_000);
    }
    return { quiet: false, waitedMs: Date.now() - started, last };
  } finally {
    await admin?.disconnect().catch(() => undefined);
  }
}
