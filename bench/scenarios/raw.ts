/**
 * Raw limits of the servers on this machine, without the services in the way:
 * - PostgreSQL: single-row INSERT transactions (autocommit: the INSERT commits and flushes WAL)
 *   of a 1 KB row with plain `pg`, at the benchmark's concurrency and at a service's pool size;
 * - Kafka: 1 KB messages with kafkajs, acks=all, idempotent producer, one request in flight (the
 *   services' producer settings), in batches of 500 (what an outbox relay sends) and one by one.
 */
import { randomBytes } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { Client } from 'pg';
import type { BenchContext, Figure, PhaseRecord, Scenario, ScenarioOutcome } from '../support/context';
import { measured } from '../support/phase';
import { round } from '../support/stats';

const POOL_SIZE = 10; // serviceDataSourceOptions: extra.max

export async function pgInserts(ctx: BenchContext, clients: number, warmUpMs: number, durationMs: number): Promise<number> {
  const payload = randomBytes(384).toString('base64'); // 512 chars
  const row = `${payload}${payload}`; // ≈ 1 KB, about a ticket's row
  const connections = await Promise.all(
    Array.from({ length: clients }, async () => {
      const c = new Client({ connectionString: ctx.stack.url, application_name: 'hotline-bench-raw' });
      await c.connect();
      return c;
    }),
  );
  let counted = 0;
  let measuring = false;
  const start = Date.now();
  const stopAt = start + warmUpMs + durationMs;
  setTimeout(() => (measuring = true), warmUpMs).unref();
  let measuredFrom = 0;
  await Promise.all(
    connections.map(async (c) => {
      while (Date.now() < stopAt) {
        await c.query('INSERT INTO bench.raw_insert (payload) VALUES ($1)', [row]);
        if (measuring) {
          if (!measuredFrom) measuredFrom = Date.now();
          counted += 1;
        }
      }
    }),
  );
  const elapsed = (Date.now() - measuredFrom) / 1000;
  await Promise.all(connections.map((c) => c.end()));
  return counted / elapsed;
}

async function kafkaProduce(ctx: BenchContext, batch: number, concurrency: number, durationMs: number): Promise<number> {
  const topic = ctx.stack.wire('bench.raw.v1');
  const producer = ctx.stack.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  const value = randomBytes(768).toString('base64').slice(0, 1024); // 1 KB
  let sent = 0;
  let n = 0;
  const t0 = Date.now();
  const stopAt = t0 + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < stopAt) {
        const messages = Array.from({ length: batch }, () => ({ key: `ticket-${n++ % 100_000}`, value }));
        await producer.send({ topic, acks: -1, messages });
        sent += batch;
      }
    }),
  );
  const elapsed = (Date.now() - t0) / 1000;
  await producer.disconnect();
  return sent / elapsed;
}

export const raw: Scenario = {
  name: 'raw',
  title: 'raw limits: PostgreSQL commits and Kafka produce',
  async run(ctx): Promise<ScenarioOutcome> {
    const phases: PhaseRecord[] = [];
    await ctx.stack.pool.query('CREATE SCHEMA IF NOT EXISTS bench');
    await ctx.stack.pool.query('CREATE TABLE IF NOT EXISTS bench.raw_insert (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), payload text NOT NULL)');
    const duration = ctx.pick(15_000, 5_000);
    const warm = ctx.pick(3_000, 1_000);

    const concurrency = ctx.options.concurrency;
    const pg = await measured(ctx, `raw: PostgreSQL INSERT+COMMIT × ${concurrency} clients`, () => pgInserts(ctx, concurrency, warm, duration));
    phases.push(pg.record);
    const pgPool = await measured(ctx, `raw: PostgreSQL INSERT+COMMIT × ${POOL_SIZE} clients`, () => pgInserts(ctx, POOL_SIZE, warm, duration));
    phases.push(pgPool.record);
    ctx.shared.pgCommitsPerSecond = pg.result;
    ctx.log(`  PostgreSQL: ${round(pg.result, 0)} commits/s at ${concurrency} clients, ${round(pgPool.result, 0)} at ${POOL_SIZE} (a service's pool)`);

    await ctx.stack.admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: ctx.stack.wire('bench.raw.v1'), numPartitions: ctx.options.partitions, replicationFactor: -1 }],
    });
    const batched = await measured(ctx, 'raw: Kafka produce, batches of 500', () => kafkaProduce(ctx, 500, 1, duration), { waits: false });
    phases.push(batched.record);
    const single = await measured(ctx, 'raw: Kafka produce, one message per request', () => kafkaProduce(ctx, 1, 1, Math.min(duration, 8_000)), { waits: false });
    phases.push(single.record);
    ctx.log(`  Kafka: ${round(batched.result, 0)} msg/s in batches of 500, ${round(single.result, 0)} msg/s one at a time`);

    const figures: Figure[] = [
      { key: 'raw.pg-commits', label: `PostgreSQL single-row INSERT+COMMIT, ${concurrency} clients`, value: round(pg.result, 0), unit: 'tx/s', otherLoad: pg.record.cpu.other },
      { key: 'raw.pg-commits-pool', label: `PostgreSQL single-row INSERT+COMMIT, ${POOL_SIZE} clients (a service's pool)`, value: round(pgPool.result, 0), unit: 'tx/s', otherLoad: pgPool.record.cpu.other },
      { key: 'raw.kafka-batched', label: 'Kafka produce 1 KB, acks=all, idempotent, batches of 500', value: round(batched.result, 0), unit: 'msg/s', otherLoad: batched.record.cpu.other },
      { key: 'raw.kafka-single', label: 'Kafka produce 1 KB, acks=all, idempotent, one per request', value: round(single.result, 0), unit: 'msg/s', otherLoad: single.record.cpu.other },
    ];
    return { figures, details: { pgClients: concurrency, poolClients: POOL_SIZE, durationMs: duration }, phases };
  },
};
