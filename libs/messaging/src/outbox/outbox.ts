import { EVENT_CATALOG, EventEnvelope, isEventType, serializeEvent } from '@hotline/contracts';
import { traceHeaders } from '@hotline/platform';
import { EntityManager } from 'typeorm';
import { quoteIdent } from '../schema/messaging-tables';
import { OutboxMessage } from './outbox-message.entity';

/** The NOTIFY channel a service's relay listens on to publish without waiting for a poll. */
export function outboxChannel(schema: string): string {
  return `outbox_${schema}`;
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

/**
 * Appends events to the outbox. Must be called with the EntityManager of the caller's open
 * transaction: the events then commit exactly when the state change they announce commits.
 */
export async function appendToOutbox(manager: EntityManager, events: EventEnvelope[]): Promise<void> {
  if (!events.length) return;
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('appendToOutbox must be called inside a transaction');
  }
  const metadata = manager.connection.getMetadata(OutboxMessage);
  const schema = metadata.schema ?? 'public';
  const values: unknown[] = [];
  const tuples = events.map((event) => {
    if (!isEventType(event.type)) throw new Error(`unknown event type '${event.type}'`);
    values.push(
      event.eventId,
      event.type,
      EVENT_CATALOG[event.type].topic,
      event.ticketId,
      serializeEvent(event),
      // The trace of the request or event that caused it travels on with it (W3C traceparent).
      JSON.stringify({ ...eventHeaders(event), ...traceHeaders() }),
    );
    const p = values.length - 6;
    return `($${p + 1}::uuid, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}::jsonb)`;
  });
  // One statement, one round trip: the rows, and the notice delivered at commit (never for a
  // rolled-back transaction) that wakes the relay.
  await manager.query(
    `WITH written AS (
       INSERT INTO ${quoteIdent(schema)}.${quoteIdent(metadata.tableName)} (event_id, event_type, topic, message_key, message, headers)
       VALUES ${tuples.join(', ')} RETURNING 1)
     SELECT pg_notify($${values.length + 1}, '') FROM (SELECT 1 FROM written LIMIT 1) AS any_written`,
    [...values, outboxChannel(schema)],
  );
}
