import { Injectable, OnModuleInit } from '@nestjs/common';
import { EVENT_TYPES, KnownEvent, Topics } from '@hotline/contracts';
import { ConsumerTransaction, EventConsumers, EventHandlers } from '@hotline/messaging';
import { EntityManager } from 'typeorm';
import { HotspotDetector } from '../hotspots/hotspot-detector';
import { LiveUpdates } from '../live/live-updates';
import { ProjectionBatch } from './projection-batch';

/** The projection's consumer group and what it reads: what a replay rewinds. */
export const PROJECTION_CONSUMER = 'metrics';
export const PROJECTED_TOPICS = [Topics.intakeEvents, Topics.assignmentEvents, Topics.supervisionEvents];

/**
 * 指标汇总 — every event of every topic lands in the ticket's timeline and moves the
 * counters, in the consumer's transaction (so a redelivery changes nothing).
 */
@Injectable()
export class TicketProjectionHandler implements OnModuleInit {
  /** The batch of each open consumer transaction (a retried run gets a new transaction, so a new batch). */
  private readonly batches = new WeakMap<EntityManager, ProjectionBatch>();

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
      // One partition at a time: a hotspot is judged by counting the matter's signals, and two
      // transactions counting at once would each miss the other's (CONSUMER_CONCURRENCY is for
      // consumers whose handlers lock what they share).
      concurrency: 1,
      // What the batch collected, set-based: timeline, charges, counters, the department table.
      beforeCommit: (_events, manager) => {
        const batch = this.batches.get(manager);
        this.batches.delete(manager);
        return batch ? batch.complete() : Promise.resolve();
      },
      onCommitted: (events) => this.live.eventsApplied(events),
    });
  }

  private project(event: KnownEvent, { manager, emit }: ConsumerTransaction): Promise<void> {
    let batch = this.batches.get(manager);
    if (!batch) {
      batch = new ProjectionBatch(manager, this.hotspots, emit);
      this.batches.set(manager, batch);
    }
    batch.project(event);
    return Promise.resolve();
  }
}
