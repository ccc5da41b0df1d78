import type { KnownEvent } from '@hotline/contracts';
import { EntityManager } from 'typeorm';

/** 工单轨迹 — appends events to their tickets' timelines, all in one statement. */
export async function appendToTimelines(manager: EntityManager, events: readonly KnownEvent[]): Promise<void> {
  if (!events.length) return;
  const rows = events.map((e) => ({
    event_id: e.eventId,
    ticket_id: e.ticketId,
    type: e.type,
    version: e.version,
    occurred_at: e.occurredAt,
    producer: e.producer,
    actor: e.actor,
    correlation_id: e.correlationId,
    causation_id: e.causationId ?? null,
    payload: e.payload,
  }));
  await manager.query(
    `INSERT INTO metrics.timeline_entry
       (event_id, ticket_id, type, version, occurred_at, producer, actor, correlation_id, causation_id, payload)
     SELECT event_id, ticket_id, type, version, occurred_at, producer, actor, correlation_id, causation_id, payload
       FROM jsonb_to_recordset($1::jsonb) AS e (event_id uuid, ticket_id uuid, type text, version int, occurred_at timestamptz,
                                                producer text, actor jsonb, correlation_id uuid, causation_id uuid, payload jsonb)`,
    [JSON.stringify(rows)],
  );
}
