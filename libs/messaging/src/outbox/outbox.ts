import { EVENT_CATALOG, EventEnvelope, isEventType, serializeEvent } from '@hotline/contracts';
import { traceHeaders } from '@hotline/platform';
import { EntityManager } from 'typeorm';
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
  const rows = events.map((event) => {
    if (!isEventType(event.type)) throw new Error(`unknown event type '${event.type}'`);
    return {
      eventId: event.eventId,
      eventType: event.type,
      topic: EVENT_CATALOG[event.type].topic,
      messageKey: event.ticketId,
      message: serializeEvent(event),
      // The trace of the request or event that caused it travels on with it (W3C traceparent).
      headers: { ...eventHeaders(event), ...traceHeaders() },
    };
  });
  await manager.createQueryBuilder().insert().into(OutboxMessage).values(rows).execute();
  // Delivered at commit, never for a rolled-back transaction.
  const schema = manager.connection.getMetadata(OutboxMessage).schema ?? 'public';
  await manager.query('SELECT pg_notify($1, $2)', [outboxChannel(schema), '']);
}
