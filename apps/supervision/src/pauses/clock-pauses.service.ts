import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { WORKING_CALENDAR, WorkingCalendar } from '@hotline/calendar';
import { AuthenticatedUser, isInScope, ticketScopeOf } from '@hotline/auth';
import { createEvent, EventActor, EventEnvelope, SYSTEM_ACTOR, toOffsetIso } from '@hotline/contracts';
import { appendToOutbox } from '@hotline/messaging';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { causeOf } from '../escalation/escalation';
import { SlaClock } from '../sla-clocks/sla-clock.entity';
import { SupervisedTicket } from '../supervised-tickets/supervised-ticket.entity';
import { listingAfter } from '../timers/sla-timer-scanner';
import { PauseRequest } from './pause-request.entity';

function conflict(message: string): ConflictException {
  return new ConflictException({ statusCode: 409, error: 'Conflict', message: [message] });
}

const working = (clock: SlaClock) => clock.limitUnit === 'working-days';

/**
 * 暂停计时 — while the citizen's materials are awaited the clock stands still: the time left is
 * kept at the pause and given back, as working time, when the clock resumes (on a supplement
 * from the citizen, or by a supervisor). Both are events in the ticket's timeline.
 */
@Injectable()
export class ClockPausesService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(WORKING_CALENDAR) private readonly calendar: WorkingCalendar,
  ) {}

  async decide(requestId: string, user: AuthenticatedUser, approved: boolean, comment: string) {
    return this.dataSource.transaction(async (manager) => {
      const request = await manager.findOne(PauseRequest, { where: { id: requestId }, lock: { mode: 'pessimistic_write' } });
      const ticket = request && (await this.ticketInScope(manager, request.ticketId, user));
      if (!request || !ticket) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: ['id: no such pause request'] });
      if (request.status !== 'pending') throw conflict('id: this pause request was already decided');
      const now = new Date();
      if (approved) {
        const clock = await manager.findOne(SlaClock, { where: { ticketId: ticket.ticketId, status: 'running' }, lock: { mode: 'pessimistic_write' } });
        if (!clock) throw conflict('status: no clock is running for this ticket');
        if (clock.deadline <= now) throw conflict('deadline: the clock is already overdue and cannot be paused');
        // Milliseconds of the clock's own kind of time: working time for working-day limits.
        const remaining = Math.round(
          working(clock) ? this.calendar.workingMinutesBetween(now, clock.deadline) * 60_000 : clock.deadline.getTime() - now.getTime(),
        );
        await manager.update(SlaClock, { id: clock.id }, { status: 'paused', nextDueAt: null });
        await manager.update(PauseRequest, { id: requestId }, { status: 'approved', decidedBy: user.username, pausedAt: now, remaining });
      } else {
        await manager.update(PauseRequest, { id: requestId }, { status: 'denied', decidedBy: user.username });
      }
      const event = createEvent('ticket.pause-decided', { requestId, approved, comment }, this.meta(ticket, actorOf(user)));
      await this.finish(manager, ticket, [event]);
      return { requestId, approved, events: [event.type] };
    });
  }

  /** Gives the paused clock its time back from now; nothing to do when no pause is open. */
  async resume(ticketId: string, reason: string, user: AuthenticatedUser | null, manager?: EntityManager): Promise<EventEnvelope[]> {
    const work = async (m: EntityManager) => {
      const ticket = user ? await this.ticketInScope(m, ticketId, user) : await m.findOneBy(SupervisedTicket, { ticketId });
      if (!ticket) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: ['id: no such ticket'] });
      const pause = await m.findOne(PauseRequest, { where: { ticketId, status: 'approved', resumedAt: IsNull() }, lock: { mode: 'pessimistic_write' } });
      const clock = await m.findOne(SlaClock, { where: { ticketId, status: 'paused' }, lock: { mode: 'pessimistic_write' } });
      if (!pause || !clock) {
        if (user) throw conflict('status: the ticket’s clock is not paused');
        return [];
      }
      const now = new Date();
      const left = pause.remaining ?? 0;
      const deadline = working(clock) ? this.calendar.addWorkingMinutes(now, left / 60_000).deadline : new Date(now.getTime() + left);
      const gap = working(clock) ? this.calendar.workingMinutesBetween(clock.warningAt, clock.deadline) : clock.deadline.getTime() - clock.warningAt.getTime();
      const candidate = working(clock) ? this.calendar.addWorkingMinutes(deadline, -gap).deadline : new Date(deadline.getTime() - gap);
      const warningAt = candidate < now ? now : candidate;
      const nextDueAt =
        clock.stage === 'warning' ? warningAt : clock.stage === 'deadline' ? deadline : clock.stage === 'listing' ? this.calendar.addWorkingDays(deadline, await listingAfter(m, clock, ticket)).deadline : null;
      await m.update(SlaClock, { id: clock.id }, { status: 'running', deadline, warningAt, nextDueAt });
      await m.update(PauseRequest, { id: pause.id }, { resumedAt: now });
      const event = createEvent(
        'ticket.sla-recomputed',
        { clockId: clock.id, clock: clock.kind, warningAt: toOffsetIso(warningAt), deadline: toOffsetIso(deadline), previousDeadline: toOffsetIso(clock.deadline), reason },
        this.meta(ticket, user ? actorOf(user) : SYSTEM_ACTOR),
      );
      await this.finish(m, ticket, [event]);
      return [event];
    };
    return manager ? work(manager) : this.dataSource.transaction(work);
  }

  private async ticketInScope(manager: EntityManager, ticketId: string, user: AuthenticatedUser): Promise<SupervisedTicket | null> {
    const ticket = await manager.findOne(SupervisedTicket, { where: { ticketId }, lock: { mode: 'pessimistic_write' } });
    return ticket && isInScope(ticketScopeOf(user), { regionCode: ticket.regionCode, departmentId: ticket.departmentId }) ? ticket : null;
  }

  private meta(ticket: SupervisedTicket, actor: EventActor) {
    return { ticketId: ticket.ticketId, actor, cause: causeOf(ticket) };
  }

  private async finish(manager: EntityManager, ticket: SupervisedTicket, events: EventEnvelope[]): Promise<void> {
    await manager.update(SupervisedTicket, { ticketId: ticket.ticketId }, { lastEventId: events.at(-1)?.eventId ?? ticket.lastEventId });
    await appendToOutbox(manager, events);
  }
}

function actorOf(user: AuthenticatedUser): EventActor {
  return { id: user.id, role: user.role, ...(user.departmentId ? { departmentId: user.departmentId } : {}) };
}
