import { Inject, Injectable } from '@nestjs/common';
import { WORKING_CALENDAR, WorkingCalendar } from '@hotline/calendar';
import { createEvent, EventEnvelope, SYSTEM_ACTOR, toOffsetIso } from '@hotline/contracts';
import { appendToOutbox } from '@hotline/messaging';
import { DataSource } from 'typeorm';
import { SlaClock } from '../sla-clocks/sla-clock.entity';
import { clockDeadline, returnWindowEnd } from '../start-sla-clock/clock-start';
import { SlaPolicyRuleRow } from '../sla-policies/sla-policy-rule.entity';
import { SupervisedTicket } from '../supervised-tickets/supervised-ticket.entity';
import { listingAfter } from '../timers/sla-timer-scanner';

export interface MovedClock {
  ticketId: string;
  clockId: string;
  clock: string;
  from: string;
  to: string;
}

/**
 * 时限重算 — after a calendar or policy correction, recomputes every running clock from what it
 * was made of (its start, its policy version, the extensions granted) on today's calendar, and
 * reports what moved. A dry run changes nothing.
 */
@Injectable()
export class ClockReplayService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(WORKING_CALENDAR) private readonly calendar: WorkingCalendar,
  ) {}

  async recompute(dryRun: boolean, reason: string): Promise<{ checked: number; moved: MovedClock[] }> {
    return this.dataSource.transaction(async (manager) => {
      const clocks = await manager.find(SlaClock, { where: { status: 'running' }, lock: { mode: 'pessimistic_write' } });
      const moved: MovedClock[] = [];
      const events: EventEnvelope[] = [];
      for (const clock of clocks) {
        const ticket = await manager.findOneBy(SupervisedTicket, { ticketId: clock.ticketId });
        if (!ticket) continue;
        const rule = await manager.findOneBy(SlaPolicyRuleRow, {
          version: clock.policyVersion,
          demandType: ticket.demandType,
          urgency: ticket.urgency,
        });
        if (!rule) continue;
        const base = clockDeadline(
          this.calendar,
          clock.kind,
          clock.startedAt,
          {
            sign_for_amount: rule.signForAmount,
            sign_for_unit: rule.signForUnit,
            reply_amount: rule.replyAmount,
            reply_unit: rule.replyUnit,
            warning_fraction: rule.warningFraction,
          },
          ticket.urgency,
        );
        const deadline = clock.extensionDays ? this.calendar.addWorkingDays(base.deadline, clock.extensionDays).deadline : base.deadline;
        const warningAt = clock.extensionDays ? this.calendar.addWorkingDays(base.warningAt, clock.extensionDays).deadline : base.warningAt;
        if (deadline.getTime() === clock.deadline.getTime() && warningAt.getTime() === clock.warningAt.getTime()) continue;
        moved.push({ ticketId: clock.ticketId, clockId: clock.id, clock: clock.kind, from: toOffsetIso(clock.deadline), to: toOffsetIso(deadline) });
        if (dryRun) continue;
        const nextDueAt =
          clock.stage === 'warning'
            ? warningAt
            : clock.stage === 'deadline'
              ? deadline
              : clock.stage === 'listing'
                ? this.calendar.addWorkingDays(deadline, await listingAfter(manager, clock, ticket)).deadline
                : null;
        await manager.update(SlaClock, { id: clock.id }, { deadline, warningAt, nextDueAt, calendarConfirmed: base.calendarConfirmed });
        const event = createEvent(
          'ticket.sla-recomputed',
          {
            clockId: clock.id,
            clock: clock.kind,
            warningAt: toOffsetIso(warningAt),
            deadline: toOffsetIso(deadline),
            previousDeadline: toOffsetIso(clock.deadline),
            reason,
            ...(clock.kind === 'sign-for' ? { returnBy: toOffsetIso(returnWindowEnd(this.calendar, clock.startedAt, ticket.urgency)) } : {}),
          },
          {
            ticketId: clock.ticketId,
            actor: SYSTEM_ACTOR,
            ...(ticket.lastEventId && ticket.correlationId ? { cause: { eventId: ticket.lastEventId, correlationId: ticket.correlationId } } : {}),
          },
        );
        events.push(event);
        await manager.update(SupervisedTicket, { ticketId: ticket.ticketId }, { lastEventId: event.eventId });
      }
      await appendToOutbox(manager, events);
      return { checked: clocks.length, moved };
    });
  }
}
