import { Injectable, OnModuleInit } from '@nestjs/common';
import { KnownEvent, Topics } from '@hotline/contracts';
import { ConsumerTransaction, EventConsumers } from '@hotline/messaging';
import { HandlingRequest } from '../assignments/handling-request.entity';
import { TicketAssignment } from '../assignments/ticket-assignment.entity';

type Of<T extends KnownEvent['type']> = Extract<KnownEvent, { type: T }>;

/**
 * Reacting to supervision: due times shown in the inbox, granted extensions, a reply sent back
 * in review, 重办 after an unsatisfied call-back, and closure.
 */
@Injectable()
export class SupervisionFeedbackHandler implements OnModuleInit {
  constructor(private readonly consumers: EventConsumers) {}

  onModuleInit(): void {
    this.consumers.register({
      name: 'assignment.supervision',
      topics: [Topics.supervisionEvents],
      handlers: {
        'ticket.sla-started': (e, tx) => this.slaStarted(e, tx),
        'ticket.sla-recomputed': (e, tx) => this.slaStarted(e, tx),
        'ticket.extension-decided': (e, tx) => this.extensionDecided(e, tx),
        'ticket.pause-decided': (e, tx) => this.pauseDecided(e, tx),
        'ticket.reply-reviewed': (e, tx) => this.replyReviewed(e, tx),
        'ticket.reopened': (e, tx) => this.reopened(e, tx),
        'ticket.closed': (e, tx) => this.closed(e, tx),
      },
    });
  }

  private async slaStarted(e: Of<'ticket.sla-started'> | Of<'ticket.sla-recomputed'>, { manager }: ConsumerTransaction): Promise<void> {
    // The call-back clock (回访) is the hotline's, not the department's: nothing of its inbox.
    if (e.payload.clock === 'callback') return;
    if (e.payload.clock === 'reply') {
      await manager.update(
        TicketAssignment,
        { ticketId: e.ticketId },
        { replyDeadline: new Date(e.payload.deadline), replyWarningAt: new Date(e.payload.warningAt) },
      );
      return;
    }
    // 退单时限 only for the assignment the clock belongs to: a late clock of the department before
    // a transfer must not set the new department's window (a recomputed clock names none: the same one).
    const department = e.type === 'ticket.sla-started' ? e.payload.departmentId : null;
    await manager.query(
      `UPDATE assignment.ticket_assignment
          SET sign_for_deadline = $2, sign_for_warning_at = $3,
              return_by = CASE WHEN $4::timestamptz IS NOT NULL AND ($5::uuid IS NULL OR department_id = $5::uuid) THEN $4::timestamptz ELSE return_by END
        WHERE ticket_id = $1`,
      [e.ticketId, e.payload.deadline, e.payload.warningAt, e.payload.returnBy ?? null, department],
    );
  }

  private async extensionDecided(e: Of<'ticket.extension-decided'>, { manager }: ConsumerTransaction): Promise<void> {
    await manager.update(
      HandlingRequest,
      { id: e.payload.requestId },
      { status: e.payload.approved ? 'approved' : 'denied', decidedAt: new Date(e.occurredAt) },
    );
    if (e.payload.approved && e.payload.replyDeadline) {
      await manager.update(TicketAssignment, { ticketId: e.ticketId }, { replyDeadline: new Date(e.payload.replyDeadline) });
    }
  }

  private async pauseDecided(e: Of<'ticket.pause-decided'>, { manager }: ConsumerTransaction): Promise<void> {
    await manager.update(
      HandlingRequest,
      { id: e.payload.requestId },
      { status: e.payload.approved ? 'approved' : 'denied', decidedAt: new Date(e.occurredAt) },
    );
  }

  private async replyReviewed(e: Of<'ticket.reply-reviewed'>, { manager }: ConsumerTransaction): Promise<void> {
    if (e.payload.approved) return;
    // 审核不通过: back to the handler, who must reply again.
    await manager.update(
      TicketAssignment,
      { ticketId: e.ticketId, status: 'replied' },
      { status: 'accepted', reviewReason: e.payload.comment, lastEventId: e.eventId },
    );
  }

  private async reopened(e: Of<'ticket.reopened'>, { manager }: ConsumerTransaction): Promise<void> {
    await manager.update(
      TicketAssignment,
      { ticketId: e.ticketId },
      { status: 'reopened', reopenCount: e.payload.reopenCount, reviewReason: e.payload.reason, acceptedAt: null, lastEventId: e.eventId },
    );
  }

  private async closed(e: Of<'ticket.closed'>, { manager }: ConsumerTransaction): Promise<void> {
    await manager.update(TicketAssignment, { ticketId: e.ticketId }, { status: 'closed', lastEventId: e.eventId });
  }
}
