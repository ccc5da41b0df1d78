import { backoffDelay } from '@hotline/platform';
import { DataSource } from 'typeorm';
import { quoteIdent } from '../schema/messaging-tables';
import { MessagePublisher } from '../port/message-bus.port';
import { OutboxMessage } from './outbox-message.entity';
import { onOutboxCommitted } from './outbox';

export interface OutboxRelayOptions {
  batchSize?: number;
  /** Poll for rows no commit of this process announced (written by another process or replica). */
  pollIntervalMs?: number;
  /** Retry while another relay (a replica) holds the lock, so its rows wait no longer than this. */
  lockRetryMs?: number;
  logger?: { log(m: string): void; warn(m: string): void; error(m: string): void };
  /** Told the types of the events a batch published, after it committed. */
  onPublished?: (eventTypes: string[]) => void;
}

/** An outbox row as the relay reads it. */
interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  message: string;
  headers: Record<string, string>;
}

interface QueryResult {
  rows: Record<string, unknown>[];
}

/** The `pg` client under a query runner: a query of several statements answers one result each. */
interface SimpleQueryClient {
  query(text: string): Promise<QueryResult | QueryResult[]>;
}

export interface OutboxBacklog {
  pending: number;
  oldestAgeSeconds: number;
}

/**
 * 发件箱中继 — publishes outbox rows in write order and marks them published.
 *
 * One relay at a time per schema holds a transaction-scoped advisory lock, so replicas never
 * interleave and order holds. The rows are marked in the same transaction that selected them:
 * a crash after the broker acknowledged but before the commit publishes them again (at least
 * once); consumers deduplicate on the event id.
 */
export class OutboxRelay {
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wake: (() => void) | null = null;
  /** Set by a commit announced while a batch was in hand, so the next idle is skipped. */
  private notified = false;
  private unsubscribe: (() => void) | null = null;
  private readonly schema: string;
  private readonly table: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly lockRetryMs: number;
  /** Whether the last attempt found the lock held by another relay. */
  private lockBusy = false;
  /** The advisory lock's key, as an SQL literal. */
  private readonly lockKey: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: MessagePublisher,
    private readonly options: OutboxRelayOptions = {},
  ) {
    const metadata = dataSource.getMetadata(OutboxMessage);
    this.schema = metadata.schema ?? 'public';
    this.table = `${quoteIdent(this.schema)}.${quoteIdent(metadata.tableName)}`;
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.lockRetryMs = options.lockRetryMs ?? 50;
    this.lockKey = `'${`outbox-relay:${this.schema}`.replace(/'/g, "''")}'`;
    if (!Number.isSafeInteger(this.batchSize) || this.batchSize < 1) throw new Error(`outbox relay batch size must be a positive integer, not ${this.batchSize}`);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    // Woken in-process by the commits that wrote rows (no NOTIFY: see onOutboxCommitted).
    this.unsubscribe = onOutboxCommitted(this.dataSource, () => this.notify());
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.notify();
    await this.loopDone;
  }

  /**
   * Publishes at most one batch; returns how many rows it published (0 if another relay holds the lock).
   *
   * Two round trips to PostgreSQL a batch, not five: the transaction is opened, the lock taken
   * and the rows selected by one simple-protocol query, and the rows are marked and committed by
   * another. On a busy machine every round trip waits for both processes to be scheduled, and a
   * row committed meanwhile waits for the batch in hand to end: the relay's hop was the longest
   * of the pipeline (bench/README.md). The values sent inline are the relay's own (its lock key,
   * batch size, the ids PostgreSQL gave), never an event's.
   */
  async relayOnce(): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as SimpleQueryClient;
    let failure: Error | undefined;
    try {
      const [, lock, selected] = (await client.query(
        `BEGIN;
         SELECT pg_try_advisory_xact_lock(hashtext(${this.lockKey})) AS locked;
         SELECT id, topic, message_key, message, headers FROM ${this.table}
          WHERE published_at IS NULL ORDER BY id LIMIT ${this.batchSize}`,
      )) as QueryResult[];
      const locked = Boolean(lock.rows[0]?.locked);
      this.lockBusy = !locked;
      const rows = locked ? (selected.rows as unknown as OutboxRow[]) : [];
      if (!rows.length) {
        await client.query('COMMIT');
        return 0;
      }
      await this.publisher.publish(rows.map((r) => ({ topic: r.topic, key: r.message_key, value: r.message, headers: r.headers })));
      const ids = rows.map((r) => String(BigInt(r.id))).join(',');
      await client.query(`UPDATE ${this.table} SET published_at = now() WHERE id = ANY('{${ids}}'::bigint[]); COMMIT`);
      const types = rows.map((r) => r.headers?.['event-type'] ?? 'unknown');
      this.options.onPublished?.(types);
      return types.length;
    } catch (err) {
      failure = err as Error;
      // Nothing was marked: the rows stay for the next attempt (at least once).
      await client.query('ROLLBACK').then(
        () => (failure = undefined),
        () => undefined,
      );
      throw err;
    } finally {
      // A connection whose rollback failed is not given back to the pool.
      await (runner as unknown as { releasePostgresConnection(err?: Error): Promise<void> }).releasePostgresConnection(failure);
    }
  }

  async backlog(): Promise<OutboxBacklog> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS pending,
              coalesce(extract(epoch FROM now() - min(created_at)), 0)::float AS age
         FROM ${this.table} WHERE published_at IS NULL`,
    );
    return { pending: row.pending, oldestAgeSeconds: row.age };
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let published = 0;
      this.notified = false;
      try {
        published = await this.relayOnce();
        failures = 0;
      } catch (err) {
        failures += 1;
        this.options.logger?.warn(`outbox relay of ${this.schema} failed (attempt ${failures}): ${(err as Error).message}`);
        await this.idle(backoffDelay(failures, 200, 10_000));
        continue;
      }
      if (published < this.batchSize) await this.idle(this.lockBusy ? this.lockRetryMs : this.pollIntervalMs);
    }
  }

  private notify(): void {
    this.notified = true;
    this.wake?.();
  }

  private idle(ms: number): Promise<void> {
    if (this.notified || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }
}
