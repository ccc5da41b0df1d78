import { Injectable, OnModuleInit } from '@nestjs/common';
import { EVENT_TYPES, KnownEvent, Topics } from '@hotline/contracts';
import { ConsumerTransaction, EventConsumers, EventHandlers } from '@hotline/messaging';
import { incrementCounters } from '../counters/counter-increments';
import { HotspotDetector } from '../hotspots/hotspot-detector';
import { LiveUpdates } from '../live/live-updates';
import { projectTicketView } from '../tickets/ticket-view.projector';
import { TimelineEntry } from '../timeline/timeline-entry.entity';
import { counterIncrements } from './counter-rules';

/** The projection's consumer group and what it reads: what a replay rewinds. */
export const PROJECTION_CONSUMER = 'metrics';
export const PROJECTED_TOPICS = [Topics.intakeEvents, Topics.assignmentEvents, Topics.supervisionEvents];

/**
 * 指标汇总 — every event of every topic lands in the ticket's timeline and moves the
 * counters, in the consumer's transaction (so a redelivery changes nothing).
 */
@Injectable()
export class TicketProjectionHandler implements OnModuleInit {
  constructor(
    private readonly consumers: EventConsumers,
    private readonly hotspots: HotspotDetector,
    private readonly live: LiveUpdates,
  ) {}

  onModuleInit(): void {
    const handlers = Object.fromEntries(
      EVENT_TYPES.map((type) => [type, (event: KnownEvent, tx: ConsumerTransaction) => this.project(event, tx)]),
    ) as EventHandlers;
    this.consumers.register({
      name: PROJECTION_CONSUMER,
      topics: PROJECTED_TOPICS,
      handlers,
      onCommitted: (events) => this.live.eventsApplied(events),
    });
  }

  async project(event: KnownEvent, { manager, emit }: ConsumerTransaction): Promise<void> {
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
    await emit(await this.hotspots.record(manager, event));
  }
}
