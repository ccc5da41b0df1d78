import { EVENT_CATALOG, EventEnvelope, isEventType, serializeEvent } from '@hotline/contracts';
import { traceHeaders } from '@hotline/platform';
import { DataSource, EntityManager, EntitySubscriberInterface, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { quoteIdent } from '../schema/messaging-tables';
import { OutboxMessage } from './outbox-message.entity';

/**
 * Wakes this process's relays when outbox rows commit, without PostgreSQL's NOTIFY: a
 * transaction that notifies takes a database-wide lock from before its commit until the commit is
 * flushed, so every writing request committed one after another (intake waited on it under load,
 * bench/README.md). A transaction that appended rows is marked; a TypeORM subscriber sees it
 * commit and calls the relays registered for that DataSource. Rows another process writes are
 * found by the relays' poll.
 */
const committedListeners = new WeakMap<DataSource, Set<() => void>>();
const OUTBOX_WRITTEN = 'hotline.outboxWritten';

/** Calls `wake` after every commit of `dataSource` that wrote outbox rows; returns the unsubscribe. */
export function onOutboxCommitted(dataSource: DataSource, wake: () => void): () => void {
  let listeners = committedListeners.get(dataSource);
  if (!listeners) {
    listeners = new Set();
    committedListeners.set(dataSource, listeners);
    dataSource.subscribers.push(new OutboxCommitSubscriber());
  }
  listeners.add(wake);
  return () => listeners.delete(wake);
}

function announceCommitted(dataSource: DataSource): void {
  for (const wake of committedListeners.get(dataSource) ?? []) wake();
}

class OutboxCommitSubscriber implements EntitySubscriberInterface {
  afterTransactionCommit(event: TransactionCommitEvent): void {
    // A savepoint released is not the commit: the rows wait for the outer one.
    if (event.queryRunner.isTransactionActive || !event.queryRunner.data?.[OUTBOX_WRITTEN]) return;
    event.queryRunner.data[OUTBOX_WRITTEN] = false;
    announceCommitted(event.connection);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive && event.queryRunner.data) event.queryRunner.data[OUTBOX_WRITTEN] = false;
  }
}

/** Kafka headers every published event carries, so tools can route without parsing the body. */
export function eventHeaders(event: EventEnvelope): Record<string, string> {
  return {
    'content-type': 'application/json',
    'event-id': event.eventId,
    'event-type': event.type,
    'event-version': String(event.version),
    'correlation-id': event.correlationId,
  };
}

/** Outbox rows serialised and waiting for their transaction's one write (see `deferOutboxWrites`). */
interface OutboxRow {
  values: unknown[];
}

const deferred = new WeakMap<EntityManager, OutboxRow[]>();

/**
 * From now until `writeDeferredOutbox`, events appended with `manager` are checked and serialised
 * at once but written together: a consumer applying a batch writes its events in one statement
 * instead of one per handler. Their order is the order they were appended in.
 */
export function deferOutboxWrites(manager: EntityManager): void {
  if (!deferred.has(manager)) deferred.set(manager, []);
}

/** Writes what was appended since `deferOutboxWrites` and ends the deferral. */
export async function writeDeferredOutbox(manager: EntityManager): Promise<void> {
  const rows = deferred.get(manager);
  deferred.delete(manager);
  if (!rows?.length) return;
  // 6 parameters a row: well within PostgreSQL's 65,535 per statement.
  for (let i = 0; i < rows.length; i += 5_000) await writeRows(manager, rows.slice(i, i + 5_000));
}

/** Drops what was deferred (the transaction is being rolled back). */
export function discardDeferredOutbox(manager: EntityManager): void {
  deferred.delete(manager);
}

/** A statement run in the same round trip as the outbox rows (its parameters numbered from $1). */
export interface AlongStatement {
  sql: string;
  params: unknown[];
}

/**
 * Appends events to the outbox. Must be called with the EntityManager of the caller's open
 * transaction: the events then commit exactly when the state change they announce commits.
 *
 * `along`: the state change itself (an INSERT, UPDATE or DELETE), sent in the same statement as
 * the rows (one round trip instead of two: where a request's whole work is a handful of
 * statements, each one counts). Not deferred: it runs now, with the events. When it is the
 * whole state change, no transaction is needed: the statement commits or fails as one.
 */
export async function appendToOutbox(manager: EntityManager, events: EventEnvelope[], along?: AlongStatement): Promise<void> {
  if (!events.length) {
    if (along) await manager.query(along.sql, along.params);
    return;
  }
  // Outside a transaction only when the state change comes along: one statement is atomic.
  if (!along && !manager.queryRunner?.isTransactionActive) {
    throw new Error('appendToOutbox must be called inside a transaction');
  }
  // Checked and serialised now, so a bad event fails the code that appended it.
  const rows = events.map((event): OutboxRow => {
    if (!isEventType(event.type)) throw new Error(`unknown event type '${event.type}'`);
    return {
      values: [
        event.eventId,
        event.type,
        EVENT_CATALOG[event.type].topic,
        event.ticketId,
        serializeEvent(event),
        // The trace of the request or event that caused it travels on with it (W3C traceparent).
        JSON.stringify({ ...eventHeaders(event), ...traceHeaders() }),
      ],
    };
  });
  const pending = deferred.get(manager);
  if (pending && !along) {
    pending.push(...rows);
    return;
  }
  // With a state change to run now, what waits is written with it, before: the order holds.
  await writeRows(manager, pending ? [...pending.splice(0), ...rows] : rows, along);
}

async function writeRows(manager: EntityManager, rows: OutboxRow[], along?: AlongStatement): Promise<void> {
  const metadata = manager.connection.getMetadata(OutboxMessage);
  const schema = metadata.schema ?? 'public';
  const values: unknown[] = [...(along?.params ?? [])];
  const tuples = rows.map((row) => {
    values.push(...row.values);
    const p = values.length - 6;
    return `($${p + 1}::uuid, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}::jsonb)`;
  });
  const table = `${quoteIdent(schema)}.${quoteIdent(metadata.tableName)}`;
  const insert = `INSERT INTO ${table} (event_id, event_type, topic, message_key, message, headers) VALUES ${tuples.join(', ')}`;
  // One statement, one round trip: the state change if given (a data-modifying WITH runs whether
  // or not it is read) and the rows.
  await manager.query(along ? `WITH state_change AS (${along.sql}) ${insert}` : insert, values);
  const runner = manager.queryRunner;
  if (runner?.isTransactionActive) runner.data[OUTBOX_WRITTEN] = true;
  else announceCommitted(manager.connection); // the statement was its own transaction: committed
}
