import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { WORKING_CALENDAR, WorkingCalendar } from '@hotline/calendar';
import { createEvent, EventEnvelope, toOffsetIso } from '@hotline/contracts';
import { appendToOutbox } from '@hotline/messaging';
import { SERVICE_ENVIRONMENT } from '@hotline/platform';
import { DataSource, EntityManager } from 'typeorm';
import { causeOf, escalate } from '../escalation/escalation';
import { SlaClock } from '../sla-clocks/sla-clock.entity';
import { SlaPolicyRuleRow } from '../sla-policies/sla-policy-rule.entity';
import { SupervisedTicket } from '../supervised-tickets/supervised-ticket.entity';
import type { SupervisionEnvironment } from '../supervision.environment';

/** How long a clock that failed to fire waits before it is tried again (the others go on). */
export const FAILED_CLOCK_RETRY_MS = 60_000;

/** The DOMAIN.md default, for clocks whose policy row is gone. */
export const LISTING_AFTER_WORKING_DAYS = 5;

/** Working days after the deadline before a ticket still open is listed (挂牌督办), from the clock's policy. */
export async function listingAfter(manager: EntityManager, clock: SlaClock, ticket: Pick<SupervisedTicket, 'demandType' | 'urgency'>): Promise<number> {
  const rule = await manager.findOneBy(SlaPolicyRuleRow, { version: clock.policyVersion, demandType: ticket.demandType, urgency: ticket.urgency });
  return rule?.listingAfterWorkingDays ?? LISTING_AFTER_WORKING_DAYS;
}

/**
 * Durable timers: the due instants are indexed rows (`next_due_at`). The scanner claims rows
 * that fell due with FOR UPDATE SKIP LOCKED, fires them and moves them on in the same
 * transaction, so two replicas never fire one twice and a restart fires what fell due while down.
 */
@Injectable()
export class SlaTimerScanner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('timers');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(WORKING_CALENDAR) private readonly calendar: WorkingCalendar,
    @Optional() @Inject(SERVICE_ENVIRONMENT) private readonly env?: SupervisionEnvironment,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.env?.SLA_SCAN_INTERVAL_MS ?? 1_000;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.scanUntilIdle()
        .then(() => undefined)
        .catch((err) => this.logger.warn(`scan failed: ${(err as Error).message}`))
        .finally(() => (this.running = null));
    }, interval);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  async scanUntilIdle(now: () => Date = () => new Date()): Promise<number> {
    let total = 0;
    for (;;) {
      const fired = await this.scanOnce(now());
      total += fired;
      if (fired < 100) return total;
    }
  }

  /** Fires at most 100 due clocks; returns how many. */
  async scanOnce(now: Date): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const due = await manager
        .createQueryBuilder(SlaClock, 'c')
        .where(`c.status = 'running' AND c.next_due_at <= :now`, { now })
        .orderBy('c.next_due_at', 'ASC')
        .limit(100)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      const events: EventEnvelope[] = [];
      for (const clock of due) {
        try {
          // A savepoint per clock: one that cannot fire must not hold back the others.
          events.push(...(await manager.transaction((inner) => this.fire(inner, clock))));
        } catch (err) {
          const retryAt = new Date(now.getTime() + FAILED_CLOCK_RETRY_MS);
          this.logger.error(
            `clock ${clock.id} of ticket ${clock.ticketId} (${clock.kind}, ${clock.stage}) failed to fire, retried at ${retryAt.toISOString()}: ${(err as Error).message}`,
          );
          await manager.update(SlaClock, { id: clock.id }, { nextDueAt: retryAt });
        }
      }
      await appendToOutbox(manager, events);
      return due.length;
    });
  }

  private async fire(manager: EntityManager, clock: SlaClock): Promise<EventEnvelope[]> {
    const ticket = await manager.findOneBy(SupervisedTicket, { ticketId: clock.ticketId });
    if (!ticket) {
      await manager.update(SlaClock, { id: clock.id }, { stage: 'done', nextDueAt: null });
      return [];
    }
    const events: EventEnvelope[] = [];
    const emit = (event: EventEnvelope | null) => {
      if (!event) return;
      events.push(event);
      ticket.lastEventId = event.eventId;
    };
    const base = { clockId: clock.id, clock: clock.kind, departmentId: clock.departmentId, deadline: toOffsetIso(clock.deadline) };
    // The call-back is the hotline's own step, not the department's: its warning and its overdue
    // put the ticket on the supervisors' board, and no notice goes to the department (no ladder).
    const departmentStep = clock.kind !== 'callback';
    if (clock.stage === 'warning') {
      emit(createEvent('ticket.sla-warning', base, { ticketId: clock.ticketId, cause: causeOf(ticket) }));
      if (departmentStep) emit(await escalate(manager, ticket, 1, 'warning'));
      await manager.update(SlaClock, { id: clock.id }, { stage: 'deadline', nextDueAt: clock.deadline });
    } else if (clock.stage === 'deadline') {
      emit(createEvent('ticket.overdue', base, { ticketId: clock.ticketId, cause: causeOf(ticket) }));
      if (departmentStep) {
        emit(await escalate(manager, ticket, 2, 'overdue'));
        const listing = this.calendar.addWorkingDays(clock.deadline, await listingAfter(manager, clock, ticket)).deadline;
        await manager.update(SlaClock, { id: clock.id }, { stage: 'listing', nextDueAt: listing });
      } else {
        await manager.update(SlaClock, { id: clock.id }, { stage: 'done', nextDueAt: null });
      }
    } else if (clock.stage === 'listing') {
      emit(await escalate(manager, ticket, 3, 'listed'));
      await manager.update(SlaClock, { id: clock.id }, { stage: 'done', nextDueAt: null });
    }
    await manager.update(SupervisedTicket, { ticketId: ticket.ticketId }, { lastEventId: ticket.lastEventId });
    return events;
  }
}
