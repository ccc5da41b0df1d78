import { Injectable, OnModuleInit } from '@nestjs/common';
import { KnownEvent, Topics } from '@hotline/contracts';
import { ConsumerTransaction, EventConsumers } from '@hotline/messaging';

type Of<T extends KnownEvent['type']> = Extract<KnownEvent, { type: T }>;

/**
 * Intake follows closure (办结) and 重办 from supervision, so that a new demand is matched against
 * tickets that are still open however old, and against those closed within the repeat window.
 */
@Injectable()
export class TicketClosureHandler implements OnModuleInit {
  constructor(private readonly consumers: EventConsumers) {}

  onModuleInit(): void {
    this.consumers.register({
      name: 'intake.supervision',
      topics: [Topics.supervisionEvents],
      handlers: {
        'ticket.closed': (e, tx) => this.closed(e, tx),
        'ticket.reopened': (e, tx) => this.reopened(e, tx),
      },
    });
  }

  private async closed(e: Of<'ticket.closed'>, { manager }: ConsumerTransaction): Promise<void> {
    await manager.query(`UPDATE intake.ticket SET closed_at = $2 WHERE id = $1`, [e.ticketId, e.payload.closedAt]);
  }

  private async reopened(e: Of<'ticket.reopened'>, { manager }: ConsumerTransaction): Promise<void> {
    await manager.query(`UPDATE intake.ticket SET closed_at = NULL WHERE id = $1`, [e.ticketId]);
  }
}
