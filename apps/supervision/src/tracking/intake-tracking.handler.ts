import { Injectable, OnModuleInit } from '@nestjs/common';
import { KnownEvent, Topics } from '@hotline/contracts';
import { ConsumerTransaction, EventConsumers } from '@hotline/messaging';
import { ClockPausesService } from '../pauses/clock-pauses.service';
import { applyRepeatCount } from './repeat-supervision';
import { SupervisedTicket } from '../supervised-tickets/supervised-ticket.entity';

type Of<T extends KnownEvent['type']> = Extract<KnownEvent, { type: T }>;


/**
 * What supervision needs from intake: consultations answered on the call wait for their
 * call-back like any other ticket, and repeated demands escalate their original.
 */
@Injectable()
export class IntakeTrackingHandler implements OnModuleInit {
  constructor(
    private readonly consumers: EventConsumers,
    private readonly pauses: ClockPausesService,
  ) {}

  onModuleInit(): void {
    this.consumers.register({
      name: 'supervision.intake',
      topics: [Topics.intakeEvents],
      handlers: {
        'ticket.received': (e, tx) => this.received(e, tx),
        'ticket.repeat-linked': (e, tx) => this.repeatLinked(e, tx),
        // The citizen brought the awaited materials: a paused clock runs again.
        // (resume writes its event to the outbox in this same transaction.)
        'ticket.supplemented': async (e, tx) => {
          await this.pauses.resume(e.ticketId, '恢复计时：群众已补充材料', null, tx.manager);
        },
      },
    });
  }

  private async received(e: Of<'ticket.received'>, { manager }: ConsumerTransaction): Promise<void> {
    if (e.payload.disposition !== 'resolved-on-call') return;
    // 即时办结: no department, but the citizen is still called back (回访).
    await manager.upsert(
      SupervisedTicket,
      {
        ticketId: e.ticketId,
        number: e.payload.number,
        demandType: e.payload.demandType,
        urgency: e.payload.urgency,
        departmentId: null,
        regionCode: e.payload.regionCode,
        status: 'awaiting-callback',
        resolvedOnCall: true,
        correlationId: e.correlationId,
        lastEventId: e.eventId,
      },
      ['ticketId'],
    );
  }

  private async repeatLinked(e: Of<'ticket.repeat-linked'>, { manager, emit }: ConsumerTransaction): Promise<void> {
    const escalated = await applyRepeatCount(manager, e.ticketId, e.payload.repeatCount);
    if (escalated) await emit([escalated]);
  }
}
