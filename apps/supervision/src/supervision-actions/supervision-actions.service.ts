import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { WORKING_CALENDAR, WorkingCalendar } from '@hotline/calendar';
import { AuthenticatedUser, isInScope, ticketScopeOf } from '@hotline/auth';
import { createEvent, EventActor, EventEnvelope, Satisfaction, toOffsetIso } from '@hotline/contracts';
import { appendToOutbox } from '@hotline/messaging';
import { DataSource, EntityManager } from 'typeorm';
import { causeOf, escalate } from '../escalation/escalation';
import { ExtensionRequest } from '../extensions/extension-request.entity';
import { SlaClock } from '../sla-clocks/sla-clock.entity';
import { SlaClockStarterHandler } from '../start-sla-clock/sla-clock-starter.handler';
import { SupervisedTicket, SupervisionStatus } from '../supervised-tickets/supervised-ticket.entity';
import { listingAfter } from '../timers/sla-timer-scanner';

/** DOMAIN.md: at most 10 working days of extension in total; 3 failed call-back attempts close as unreachable. */
export const EXTENSION_CAP_WORKING_DAYS = 10;
export const CALLBACK_ATTEMPTS = 3;

function conflict(message: string): ConflictException {
  return new ConflictException({ statusCode: 409, error: 'Conflict', message: [message] });
}

function actorOf(user: AuthenticatedUser): EventActor {
  return { id: user.id, role: user.role, ...(user.departmentId ? { departmentId: user.departmentId } : {}) };
}

/**
 * 督查督办 — the supervisor's and the call-back desk's actions. Each checks scope (404 outside
 * it), state (409) and writes its events through the outbox with the ticket row locked.
 */
@Injectable()
export class SupervisionActionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clocks: SlaClockStarterHandler,
    @Inject(WORKING_CALENDAR) private readonly calendar: WorkingCalendar,
  ) {}

  /**
   * 审核 — approve the reply (then the citizen is called back, and the call-back clock starts:
   * within 1 working day, the same day when urgent) or send it back to the handler.
   */
  review(ticketId: string, user: AuthenticatedUser, approved: boolean, comment: string) {
    return this.act(ticketId, user, ['awaiting-review'], async (ticket, manager, events) => {
      const reviewed = createEvent('ticket.reply-reviewed', { approved, comment }, this.meta(ticket, user));
      events.push(reviewed);
      if (approved) {
        ticket.lastEventId = reviewed.eventId;
        if (ticket.departmentId) await this.clocks.start(this.inAction(manager, events), reviewed, 'callback', ticket.departmentId);
        return 'awaiting-callback';
      }
      // Sent back: the reply clock runs on against its original deadline (a rejected reply buys no time).
      await this.resumeReplyClock(manager, ticket);
      return 'handling';
    });
  }

  /** 回访 — record the call-back; close, reopen to the same department (重办), or try again later. */
  callback(ticketId: string, user: AuthenticatedUser, satisfaction: Satisfaction, note: string) {
    return this.act(ticketId, user, ['awaiting-callback'], async (ticket, manager, events) => {
      const attempt = ticket.callbackAttempts + 1;
      await manager.update(SupervisedTicket, { ticketId }, { callbackAttempts: attempt });
      const recorded = createEvent('ticket.callback-recorded', { satisfaction, note, attempt }, this.meta(ticket, user));
      events.push(recorded);
      ticket.lastEventId = recorded.eventId;
      // The call-back clock stops when the call-back ends the wait: closed or reopened. An
      // unreachable citizen is tried again against the same deadline.
      const close = async (outcome: 'satisfied' | 'basically-satisfied' | 'unsatisfied' | 'unreachable'): Promise<SupervisionStatus> => {
        const closedAt = new Date();
        await this.clocks.stopAll(manager, ticketId, closedAt);
        events.push(createEvent('ticket.closed', { outcome, closedAt: toOffsetIso(closedAt) }, this.meta(ticket, user)));
        return 'closed';
      };
      if (satisfaction === 'satisfied' || satisfaction === 'basically-satisfied') return close(satisfaction);
      if (satisfaction === 'unreachable') return attempt >= CALLBACK_ATTEMPTS ? close('unreachable') : 'awaiting-callback';
      // Unsatisfied: a consultation answered on the call has no department to go back to.
      if (ticket.resolvedOnCall || !ticket.departmentId) return close('unsatisfied');
      const reopenCount = ticket.reopenCount + 1;
      await manager.update(SupervisedTicket, { ticketId }, { reopenCount, callbackAttempts: 0 });
      const reopened = createEvent(
        'ticket.reopened',
        { departmentId: ticket.departmentId, reason: `回访不满意：${note}`, reopenCount },
        this.meta(ticket, user),
      );
      events.push(reopened);
      await this.clocks.stopAll(manager, ticketId, new Date(reopened.occurredAt));
      await this.clocks.start(this.inAction(manager, events), reopened, 'sign-for', ticket.departmentId);
      return 'handling';
    });
  }

  /** 催办 by hand. */
  urge(ticketId: string, user: AuthenticatedUser, note: string) {
    return this.act(ticketId, user, ['handling', 'awaiting-review', 'awaiting-callback'], async (ticket, _manager, events) => {
      events.push(createEvent('ticket.urged', { departmentId: ticket.departmentId ?? undefined, note }, this.meta(ticket, user)));
      return ticket.status;
    });
  }

  /** 督办 by hand: at least level 2, with the supervisor's note in the notice. */
  supervise(ticketId: string, user: AuthenticatedUser, note: string) {
    return this.act(ticketId, user, ['handling', 'awaiting-review', 'awaiting-callback'], async (ticket, manager, events) => {
      const level = Math.min(3, Math.max(2, ticket.escalationLevel)) as 2 | 3;
      const event = await escalate(manager, ticket, level, 'manual', actorOf(user), note);
      if (event) events.push(event);
      return ticket.status;
    });
  }

  /** 延期审批 — within the total cap; an approval moves the running reply clock's deadline. */
  async decideExtension(requestId: string, user: AuthenticatedUser, approved: boolean, comment: string) {
    const request = await this.dataSource.getRepository(ExtensionRequest).findOneBy({ id: requestId });
    if (!request) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: ['id: no such extension request'] });
    return this.act(request.ticketId, user, ['handling'], async (ticket, manager, events) => {
      const pending = await manager.findOne(ExtensionRequest, { where: { id: requestId }, lock: { mode: 'pessimistic_write' } });
      if (!pending || pending.status !== 'pending') throw conflict('id: this extension request was already decided');
      let replyDeadline: Date | undefined;
      if (approved) {
        const total = ticket.extensionDaysTotal + pending.workingDays;
        if (total > EXTENSION_CAP_WORKING_DAYS) {
          throw conflict(`workingDays: ${total} working days in total would pass the cap of ${EXTENSION_CAP_WORKING_DAYS}`);
        }
        const clock = await manager.findOne(SlaClock, { where: { ticketId: ticket.ticketId, kind: 'reply', status: 'running' } });
        if (!clock) throw conflict('status: no reply clock is running for this ticket');
        replyDeadline = this.calendar.addWorkingDays(clock.deadline, pending.workingDays).deadline;
        const warningAt = this.calendar.addWorkingDays(clock.warningAt, pending.workingDays).deadline;
        const stage = clock.stage === 'done' ? 'done' : warningAt > new Date() ? 'warning' : 'deadline';
        await manager.update(SlaClock, { id: clock.id }, {
          deadline: replyDeadline,
          warningAt,
          stage,
          nextDueAt: stage === 'warning' ? warningAt : stage === 'deadline' ? replyDeadline : null,
          extensionDays: clock.extensionDays + pending.workingDays,
        });
        await manager.update(SupervisedTicket, { ticketId: ticket.ticketId }, { extensionDaysTotal: total });
      }
      await manager.update(ExtensionRequest, { id: requestId }, {
        status: approved ? 'approved' : 'denied',
        decidedAt: new Date(),
        decidedBy: user.username,
        comment,
      });
      events.push(
        createEvent(
          'ticket.extension-decided',
          { requestId, approved, replyDeadline: replyDeadline ? toOffsetIso(replyDeadline) : undefined, comment },
          this.meta(ticket, user),
        ),
      );
      return ticket.status;
    });
  }

  private async resumeReplyClock(manager: EntityManager, ticket: SupervisedTicket): Promise<void> {
    const clock = await manager.findOne(SlaClock, {
      where: { ticketId: ticket.ticketId, kind: 'reply', status: 'stopped' },
      order: { startedAt: 'DESC' },
      lock: { mode: 'pessimistic_write' },
    });
    if (!clock) return;
    const nextDueAt =
      clock.stage === 'warning'
        ? clock.warningAt
        : clock.stage === 'deadline'
          ? clock.deadline
          : clock.stage === 'listing'
            ? this.calendar.addWorkingDays(clock.deadline, await listingAfter(manager, clock, ticket)).deadline
            : null;
    await manager.update(SlaClock, { id: clock.id }, { status: 'running', stoppedAt: null, nextDueAt });
  }

  /** A clock start inside an action: its event joins the action's, written with them. */
  private inAction(manager: EntityManager, events: EventEnvelope[]) {
    return { manager, emit: async (more: EventEnvelope[]) => void events.push(...more) };
  }

  private meta(ticket: SupervisedTicket, user: AuthenticatedUser) {
    return { ticketId: ticket.ticketId, actor: actorOf(user), cause: causeOf(ticket) };
  }

  private act(
    ticketId: string,
    user: AuthenticatedUser,
    allowed: SupervisionStatus[],
    step: (ticket: SupervisedTicket, manager: EntityManager, events: EventEnvelope[]) => Promise<SupervisionStatus>,
  ) {
    return this.dataSource.transaction(async (manager) => {
      const ticket = await manager.findOne(SupervisedTicket, { where: { ticketId }, lock: { mode: 'pessimistic_write' } });
      if (!ticket || !isInScope(ticketScopeOf(user), { regionCode: ticket.regionCode, departmentId: ticket.departmentId })) {
        throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: ['id: no such ticket'] });
      }
      if (!allowed.includes(ticket.status)) throw conflict(`status: not possible while the ticket is ${ticket.status}`);
      const events: EventEnvelope[] = [];
      const status = await step(ticket, manager, events);
      const last = events.at(-1)?.eventId ?? ticket.lastEventId;
      await manager.update(SupervisedTicket, { ticketId }, { status, lastEventId: last });
      await appendToOutbox(manager, events);
      return { ticketId, status, events: events.map((e) => e.type) };
    });
  }
}
