import { Injectable, OnModuleInit } from '@nestjs/common';
import { KnownEvent, Topics } from '@hotline/contracts';
import { ConsumerTransaction, EventConsumers } from '@hotline/messaging';
import { escalate } from '../escalation/escalation';
import { ClockPausesService } from '../pauses/clock-pauses.service';
import { SlaPolicyRuleRow } from '../sla-policies/sla-policy-rule.entity';
import { SupervisedTicket } from '../supervised-tickets/supervised-ticket.entity';

type Of<T extends KnownEvent['type']> = Extract<KnownEvent, { type: T }>;

/** The DOMAIN.md default when no policy row says otherwise: 3 repeats put the original under 督办. */
export const REPEATS_FOR_SUPERVISION = 3;

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
    const ticket = await manager.findOne(SupervisedTicket, { where: { ticketId: e.ticketId }, lock: { mode: 'pessimistic_write' } });
    // The original may not be assigned yet (intake's topic can run ahead of assignment's): the
    // count is picked up from the repeat event again when it is; here only an existing ticket moves.
    if (!ticket) return;
    ticket.repeatCount = Math.max(ticket.repeatCount, e.payload.repeatCount);
    await manager.update(SupervisedTicket, { ticketId: ticket.ticketId }, { repeatCount: ticket.repeatCount });
    const rule = await manager.findOne(SlaPolicyRuleRow, {
      where: { demandType: ticket.demandType, urgency: ticket.urgency },
      order: { version: 'DESC' },
    });
    if (ticket.repeatCount >= (rule?.repeatsForSupervision ?? REPEATS_FOR_SUPERVISION) && ticket.status !== 'closed') {
      const escalated = await escalate(manager, ticket, 2, 'repeats');
      if (escalated) await emit([escalated]);
    }
  }
}
