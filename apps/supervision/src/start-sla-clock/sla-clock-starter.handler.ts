import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { WORKING_CALENDAR, WorkingCalendar } from '@hotline/calendar';
import { createEvent, EventEnvelope, KnownEvent, SlaClockKind, SlaUnit, toOffsetIso, Topics, uuidv7 } from '@hotline/contracts';
import { ConsumerTransaction, EventConsumers } from '@hotline/messaging';
import { EntityManager } from 'typeorm';
import { ExtensionRequest } from '../extensions/extension-request.entity';
import { PauseRequest } from '../pauses/pause-request.entity';
import { SupervisedTicket } from '../supervised-tickets/supervised-ticket.entity';
import { computeDeadline } from './sla-deadline';
import { applyEarlyRepeats } from '../tracking/repeat-supervision';

type Of<T extends KnownEvent['type']> = Extract<KnownEvent, { type: T }>;

/**
 * 计时 — the clocks follow the department's work: assignment (or reassignment, or 重办) starts
 * the sign-for clock; signing for it stops that and starts the reply clock; a reply stops it.
 * A return does not stop the clock: if the dispatcher rejects it, the original deadline stands.
 */
@Injectable()
export class SlaClockStarterHandler implements OnModuleInit {
  constructor(
    private readonly consumers: EventConsumers,
    @Inject(WORKING_CALENDAR) private readonly calendar: WorkingCalendar,
  ) {}

  onModuleInit(): void {
    this.consumers.register({
      name: 'supervision',
      topics: [Topics.assignmentEvents],
      handlers: {
        'ticket.assigned': (e, tx) => this.assigned(e, tx),
        'ticket.reassigned': (e, tx) => this.assigned(e, tx),
        'ticket.accepted': (e, tx) => this.accepted(e, tx),
        'ticket.replied': (e, tx) => this.replied(e, tx),
        'ticket.extension-requested': (e, tx) => this.extensionRequested(e, tx),
        'ticket.pause-requested': (e, tx) => this.pauseRequested(e, tx),
      },
    });
  }

  private async assigned(e: Of<'ticket.assigned'> | Of<'ticket.reassigned'>, tx: ConsumerTransaction): Promise<void> {
    const p = e.payload;
    await tx.manager.upsert(
      SupervisedTicket,
      {
        ticketId: e.ticketId,
        number: p.number,
        demandType: p.demandType,
        urgency: p.urgency,
        departmentId: p.departmentId,
        regionCode: p.regionCode,
        status: 'handling',
        correlationId: e.correlationId,
        lastEventId: e.eventId,
      },
      ['ticketId'],
    );
    await this.stopAll(tx.manager, e.ticketId, new Date(e.occurredAt));
    await this.start(tx, e, 'sign-for', p.departmentId);
    const escalated = await applyEarlyRepeats(tx.manager, e.ticketId);
    if (escalated) await tx.emit([escalated]);
  }

  private async accepted(e: Of<'ticket.accepted'>, tx: ConsumerTransaction): Promise<void> {
    await tx.manager.update(SupervisedTicket, { ticketId: e.ticketId }, { status: 'handling', lastEventId: e.eventId });
    await this.stopAll(tx.manager, e.ticketId, new Date(e.occurredAt));
    await this.start(tx, e, 'reply', e.payload.departmentId);
  }

  /** 办结回复 — the reply stops the clock and waits for a supervisor's review. */
  private async replied(e: Of<'ticket.replied'>, tx: ConsumerTransaction): Promise<void> {
    await tx.manager.update(SupervisedTicket, { ticketId: e.ticketId }, { status: 'awaiting-review', lastEventId: e.eventId });
    await this.stopAll(tx.manager, e.ticketId, new Date(e.occurredAt));
  }

  private async pauseRequested(e: Of<'ticket.pause-requested'>, tx: ConsumerTransaction): Promise<void> {
    await tx.manager.insert(PauseRequest, {
      id: e.payload.requestId,
      ticketId: e.ticketId,
      reason: e.payload.reason,
      status: 'pending',
      requestedAt: new Date(e.occurredAt),
    });
  }

  private async extensionRequested(e: Of<'ticket.extension-requested'>, tx: ConsumerTransaction): Promise<void> {
    await tx.manager.insert(ExtensionRequest, {
      id: e.payload.requestId,
      ticketId: e.ticketId,
      departmentId: e.payload.departmentId,
      workingDays: e.payload.workingDays,
      reason: e.payload.reason,
      status: 'pending',
      requestedAt: new Date(e.occurredAt),
    });
    await tx.manager.update(SupervisedTicket, { ticketId: e.ticketId }, { lastEventId: e.eventId });
  }

  async stopAll(manager: EntityManager, ticketId: string, at: Date): Promise<void> {
    await manager.query(
      `UPDATE supervision.sla_clock SET status = 'stopped', stopped_at = $2, next_due_at = NULL
        WHERE ticket_id = $1 AND status IN ('running', 'paused')`,
      [ticketId, at],
    );
  }

  /** Starts a clock of `kind` for the ticket from `cause`; exported for supervision's own 重办. */
  async start(tx: Pick<ConsumerTransaction, 'manager' | 'emit'>, cause: EventEnvelope, kind: SlaClockKind, departmentId: string): Promise<void> {
    // The ticket and its policy's latest rule in one read (each clock start was two).
    const [found]: {
      demand_type: string;
      urgency: string;
      version: number | null;
      sign_for_amount: number;
      sign_for_unit: SlaUnit;
      reply_amount: number;
      reply_unit: SlaUnit;
      warning_fraction: number;
    }[] = await tx.manager.query(
      `SELECT t.demand_type, t.urgency, r.version, r.sign_for_amount, r.sign_for_unit, r.reply_amount, r.reply_unit,
              r.warning_fraction::float8 AS warning_fraction
         FROM supervision.supervised_ticket t
         LEFT JOIN LATERAL (
           SELECT * FROM supervision.sla_policy_rule r
            WHERE r.demand_type = t.demand_type AND r.urgency = t.urgency ORDER BY r.version DESC LIMIT 1
         ) r ON true
        WHERE t.ticket_id = $1`,
      [cause.ticketId],
    );
    if (!found) throw new Error(`ticket ${cause.ticketId} was never assigned: no clock to start`);
    if (found.version === null) throw new Error(`no SLA policy for ${found.demand_type}/${found.urgency}`);
    // The clock runs from the moment of the cause, not from when we happen to process it.
    const startedAt = new Date(cause.occurredAt);
    const limit =
      kind === 'sign-for'
        ? { amount: found.sign_for_amount, unit: found.sign_for_unit }
        : { amount: found.reply_amount, unit: found.reply_unit };
    const { deadline, warningAt, calendarConfirmed } = computeDeadline(this.calendar, startedAt, limit, found.warning_fraction);
    const clockId = uuidv7();
    const started = createEvent(
      'ticket.sla-started',
      {
        clockId,
        clock: kind,
        departmentId,
        startedAt: toOffsetIso(startedAt),
        warningAt: toOffsetIso(warningAt),
        deadline: toOffsetIso(deadline),
        limit,
        policyVersion: found.version,
        calendarConfirmed,
      },
      { ticketId: cause.ticketId, cause },
    );
    // The clock, and the ticket's last event, in one statement.
    await tx.manager.query(
      `WITH clock AS (
         INSERT INTO supervision.sla_clock
           (id, ticket_id, kind, department_id, status, started_at, warning_at, deadline, limit_amount, limit_unit,
            policy_version, calendar_confirmed, next_due_at, started_by_event_id)
         VALUES ($1, $2, $3, $4, 'running', $5, $6, $7, $8, $9, $10, $11, $6, $12)
       )
       UPDATE supervision.supervised_ticket SET last_event_id = $13 WHERE ticket_id = $2`,
      [
        clockId,
        cause.ticketId,
        kind,
        departmentId,
        startedAt,
        warningAt,
        deadline,
        limit.amount,
        limit.unit,
        found.version,
        calendarConfirmed,
        cause.eventId,
        started.eventId,
      ],
    );
    await tx.emit([started]);
  }
}
