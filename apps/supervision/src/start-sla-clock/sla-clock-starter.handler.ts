import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { WORKING_CALENDAR, WorkingCalendar } from '@hotline/calendar';
import { EventEnvelope, KnownEvent, SlaClockKind, Topics, Urgency } from '@hotline/contracts';
import { ConsumerTransaction, EventConsumers } from '@hotline/messaging';
import { EntityManager } from 'typeorm';
import { ExtensionRequest } from '../extensions/extension-request.entity';
import { PauseRequest } from '../pauses/pause-request.entity';
import { SupervisedTicket } from '../supervised-tickets/supervised-ticket.entity';
import { AssignedClockBatch } from './assigned-clock-batch';
import { ClockRule, planClockStart } from './clock-start';

type Of<T extends KnownEvent['type']> = Extract<KnownEvent, { type: T }>;

/**
 * 计时 — the clocks follow the department's work: assignment (or reassignment, or 重办) starts
 * the sign-for clock; signing for it stops that and starts the reply clock; a reply stops it.
 * A return does not stop the clock: if the dispatcher rejects it, the original deadline stands.
 */
@Injectable()
export class SlaClockStarterHandler implements OnModuleInit {
  private readonly batches = new WeakMap<EntityManager, AssignedClockBatch>();

  constructor(
    private readonly consumers: EventConsumers,
    @Inject(WORKING_CALENDAR) private readonly calendar: WorkingCalendar,
  ) {}

  onModuleInit(): void {
    this.consumers.register({
      name: 'supervision',
      topics: [Topics.assignmentEvents],
      handlers: {
        // Collected, applied set-based with the batch's other assignments (AssignedClockBatch).
        'ticket.assigned': (e, tx) => this.batchOf(tx.manager).add(e),
        'ticket.reassigned': (e, tx) => this.batchOf(tx.manager).add(e),
        'ticket.accepted': (e, tx) => this.afterCollected(tx, () => this.accepted(e, tx)),
        'ticket.replied': (e, tx) => this.afterCollected(tx, () => this.replied(e, tx)),
        'ticket.extension-requested': (e, tx) => this.afterCollected(tx, () => this.extensionRequested(e, tx)),
        'ticket.pause-requested': (e, tx) => this.afterCollected(tx, () => this.pauseRequested(e, tx)),
      },
      beforeCommit: (_events, manager) => this.applyCollected(manager),
    });
  }

  /** The batch of assignments of the consumer transaction `manager` belongs to. */
  private batchOf(manager: EntityManager): AssignedClockBatch {
    let batch = this.batches.get(manager);
    if (!batch) {
      batch = new AssignedClockBatch(manager, this.calendar);
      this.batches.set(manager, batch);
    }
    return batch;
  }

  private async afterCollected(tx: ConsumerTransaction, handle: () => Promise<void>): Promise<void> {
    await this.applyCollected(tx.manager);
    await handle();
  }

  /** What was collected is applied before any other event of the batch: a ticket's events stay in order. */
  private async applyCollected(manager: EntityManager): Promise<void> {
    await this.batches.get(manager)?.apply();
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
    const [found]: (ClockRule & { demand_type: string; urgency: Urgency; version: number | null })[] = await tx.manager.query(
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
    // A call-back clock's limit depends on the ticket's urgency (same day when urgent).
    const clock = planClockStart(this.calendar, cause, kind, departmentId, found, kind === 'callback' ? found.urgency : undefined);
    const started = clock.started;
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
        clock.clockId,
        clock.ticketId,
        kind,
        departmentId,
        clock.startedAt,
        clock.warningAt,
        clock.deadline,
        clock.limit.amount,
        clock.limit.unit,
        clock.policyVersion,
        clock.calendarConfirmed,
        cause.eventId,
        started.eventId,
      ],
    );
    await tx.emit([started]);
  }
}
