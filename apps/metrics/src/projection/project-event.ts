import type { EventEnvelope, KnownEvent } from '@hotline/contracts';
import { EntityManager } from 'typeorm';
import { incrementCounters } from '../counters/counter-increments';
import { chargeDepartment, reattributeCharges } from '../counters/department-charges';
import { MEASURED_EVENT_TYPES } from '../department-measures/department-measures';
import type { HotspotDetector } from '../hotspots/hotspot-detector';
import { projectTicketView } from '../tickets/ticket-view.projector';
import { TimelineEntry } from '../timeline/timeline-entry.entity';
import { counterIncrements, departmentCharge } from './counter-rules';

/**
 * 指标汇总 — one event into every projection (timeline, ticket view, counters, demand signals),
 * in the caller's transaction; the department table follows per batch (`measuredTickets`). The live consumer and the replay both go through here.
 */
export async function projectEvent(
  manager: EntityManager,
  event: KnownEvent,
  hotspots: HotspotDetector,
  emit: (events: EventEnvelope[]) => Promise<void>,
): Promise<void> {
  const entry: TimelineEntry = {
    eventId: event.eventId,
    ticketId: event.ticketId,
    type: event.type,
    version: event.version,
    occurredAt: new Date(event.occurredAt),
    producer: event.producer,
    actor: event.actor,
    correlationId: event.correlationId,
    causationId: event.causationId,
    payload: event.payload as unknown as Record<string, unknown>,
  };
  // TypeORM's insert typing cannot express a jsonb column of unknown shape.
  await manager.insert(TimelineEntry, entry as never);
  const facts = await projectTicketView(manager, event);
  await incrementCounters(manager, counterIncrements(event, facts), event);
  const charge = departmentCharge(event);
  if (charge) await chargeDepartment(manager, charge, event);
  // Steps charged before this (re)assignment was projected may have been its department's.
  if (event.type === 'ticket.assigned' || event.type === 'ticket.reassigned') await reattributeCharges(manager, event.ticketId, event.occurredAt);
  await emit(await hotspots.record(manager, event));
}

/**
 * The tickets whose place in the department table the events may change; the caller recounts
 * them once for the whole batch (`recountTickets`), after every event has been projected.
 */
export function measuredTickets(events: readonly KnownEvent[]): string[] {
  return events.filter((e) => MEASURED_EVENT_TYPES.has(e.type)).map((e) => e.ticketId);
}
