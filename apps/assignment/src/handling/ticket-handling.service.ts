import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { WORKING_CALENDAR, WorkingCalendar } from '@hotline/calendar';
import { AuthenticatedUser } from '@hotline/auth';
import { createEvent, EventActor, EventEnvelope, EventPayload, EventType, RETURN_POLICY, toOffsetIso, uuidv7 } from '@hotline/contracts';
import { appendToOutbox } from '@hotline/messaging';
import { DataSource, EntityManager, In } from 'typeorm';
import { CoHandler } from '../assignments/co-handler.entity';
import { HandlingRequest } from '../assignments/handling-request.entity';
import { TicketAssignment } from '../assignments/ticket-assignment.entity';
import { Department } from '../departments/department.entity';
import { AssignmentStatus, HandlingAction, refusal } from './assignment-state';

/** Who may take an action: the main department's handler, a co-handling department's, or the dispatch desk. */
type Actor = 'main-handler' | 'co-handler' | 'dispatch';

interface Step<T extends EventType> {
  status?: AssignmentStatus;
  patch?: Partial<TicketAssignment>;
  type: T;
  payload: EventPayload<T>;
}

export function actorOf(user: AuthenticatedUser): EventActor {
  return { id: user.id, role: user.role, ...(user.departmentId ? { departmentId: user.departmentId } : {}) };
}

function conflict(message: string): ConflictException {
  return new ConflictException({ statusCode: 409, error: 'Conflict', message: [message] });
}

function notFound(): NotFoundException {
  return new NotFoundException({ statusCode: 404, error: 'Not Found', message: ['id: no such ticket'] });
}

/**
 * 承办 — every action on a ticket: checked against who acts (a ticket outside the handler's
 * department answers 404), against the state (409), and applied with exactly one event through
 * the outbox, in one transaction with the row locked.
 */
@Injectable()
export class TicketHandlingService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(WORKING_CALENDAR) private readonly calendar: WorkingCalendar,
  ) {}

  accept(ticketId: string, user: AuthenticatedUser) {
    return this.act(ticketId, user, 'accept', 'main-handler', async (t) => {
      const acceptedAt = new Date();
      return {
        status: 'accepted',
        patch: { acceptedAt, reviewReason: null },
        type: 'ticket.accepted',
        payload: { departmentId: t.departmentId as string, acceptedAt: toOffsetIso(acceptedAt) },
      };
    });
  }

  reply(ticketId: string, user: AuthenticatedUser, content: string, outcome: 'resolved' | 'partly' | 'unresolved') {
    return this.act(ticketId, user, 'reply', 'main-handler', async (t, manager) => {
      const missing = await manager
        .createQueryBuilder(CoHandler, 'c')
        .where('c.ticket_id = :id AND c.noted_at IS NULL', { id: t.ticketId })
        .getCount();
      if (missing) throw conflict(`coHandlers: ${missing} co-handling department(s) have not added their part yet`);
      const repliedAt = new Date();
      return {
        status: 'replied',
        patch: { repliedAt },
        type: 'ticket.replied',
        payload: { departmentId: t.departmentId as string, content, outcome, repliedAt: toOffsetIso(repliedAt) },
      };
    });
  }

  return(ticketId: string, user: AuthenticatedUser, reason: string) {
    return this.act(ticketId, user, 'return', 'main-handler', async (t) => {
      if (t.returnCount >= RETURN_POLICY.maxReturns) {
        throw conflict(`returnCount: returned ${t.returnCount} times already; a supervisor must decide where it goes`);
      }
      const limit = RETURN_POLICY.limit[t.urgency];
      // Supervision's window counts the administrator's calendar overrides; ours, the official days only.
      const due = t.returnBy ?? this.calendar.add(t.assignedAt as Date, limit.amount, limit.unit).deadline;
      const returnedAt = new Date();
      if (returnedAt > due) {
        throw conflict(`assignedAt: the time to return this ticket ended at ${toOffsetIso(due)} (${limit.amount} ${limit.unit})`);
      }
      return {
        status: 'returned',
        patch: { returnCount: t.returnCount + 1, returnedBy: t.departmentId, returnReason: reason },
        type: 'ticket.returned',
        payload: { departmentId: t.departmentId as string, reason, returnCount: t.returnCount + 1, returnedAt: toOffsetIso(returnedAt) },
      };
    });
  }

  requestExtension(ticketId: string, user: AuthenticatedUser, workingDays: number, reason: string) {
    return this.act(ticketId, user, 'request-extension', 'main-handler', async (t, manager) => {
      const requestId = await this.openRequest(manager, t, 'extension', reason, workingDays);
      return {
        type: 'ticket.extension-requested',
        payload: { requestId, departmentId: t.departmentId as string, workingDays, reason },
      };
    });
  }

  requestPause(ticketId: string, user: AuthenticatedUser, reason: string) {
    return this.act(ticketId, user, 'request-pause', 'main-handler', async (t, manager) => {
      const requestId = await this.openRequest(manager, t, 'pause', reason, null);
      return { type: 'ticket.pause-requested', payload: { requestId, departmentId: t.departmentId as string, reason } };
    });
  }

  noteCoHandling(ticketId: string, user: AuthenticatedUser, content: string) {
    return this.act(ticketId, user, 'note-co-handling', 'co-handler', async (t, manager) => {
      await manager.update(CoHandler, { ticketId: t.ticketId, departmentId: user.departmentId }, { note: content, notedAt: new Date() });
      return { type: 'ticket.co-handling-noted', payload: { departmentId: user.departmentId as string, content } };
    });
  }

  /** 人工派单 — the dispatcher decides a ticket the rules could not. */
  dispatch(ticketId: string, user: AuthenticatedUser, departmentId: string, coHandlerIds: string[], reason: string) {
    return this.act(ticketId, user, 'dispatch', 'dispatch', async (t, manager) => {
      const [main, coHandlers] = await this.departments(manager, departmentId, coHandlerIds);
      const assignedAt = new Date();
      await this.replaceCoHandlers(manager, t.ticketId, coHandlers);
      return {
        status: 'assigned',
        patch: { departmentId: main.id, assignedAt, suggestedDepartmentId: null, returnBy: null },
        type: 'ticket.assigned',
        payload: {
          number: t.number,
          departmentId: main.id,
          departmentCode: main.code,
          departmentName: main.name,
          regionCode: t.regionCode,
          demandType: t.demandType,
          domain: t.domain,
          urgency: t.urgency,
          receivedAt: toOffsetIso(t.receivedAt),
          routing: { ruleId: 'manual', reason },
          coHandlers: coHandlers.map(ref),
          title: t.title || undefined,
        },
      };
    });
  }

  /** 退单审核 — the dispatcher accepts a return (and reassigns) or rejects it (back to the department). */
  decideReturn(ticketId: string, user: AuthenticatedUser, accept: boolean, reason: string, departmentId?: string) {
    return this.act(ticketId, user, 'decide-return', 'dispatch', async (t, manager) => {
      if (!accept) {
        return {
          status: 'assigned',
          patch: { returnedBy: null, returnReason: null },
          type: 'ticket.return-rejected',
          payload: { departmentId: t.departmentId as string, reason },
        };
      }
      if (!departmentId) throw conflict('departmentId: say where the ticket goes when accepting its return');
      if (departmentId === t.departmentId) throw conflict('departmentId: that is the department that returned it');
      return this.reassign(manager, t, departmentId, 'return-accepted', reason);
    });
  }

  /** 转办 — the dispatcher (or a supervisor, past the return limit) moves a ticket to another department. */
  transfer(ticketId: string, user: AuthenticatedUser, departmentId: string, reason: string) {
    return this.act(ticketId, user, 'transfer', 'dispatch', async (t, manager) => {
      if (departmentId === t.departmentId) throw conflict('departmentId: the ticket is already with that department');
      if (t.returnCount >= RETURN_POLICY.maxReturns && user.role !== 'supervisor') {
        throw new ForbiddenException({
          statusCode: 403,
          error: 'Forbidden',
          message: [`role: returned ${t.returnCount} times; only a supervisor may move it now`],
        });
      }
      return this.reassign(manager, t, departmentId, 'transfer', reason);
    });
  }

  private async reassign(
    manager: EntityManager,
    t: TicketAssignment,
    departmentId: string,
    kind: 'return-accepted' | 'transfer',
    reason: string,
  ): Promise<Step<'ticket.reassigned'>> {
    const [to] = await this.departments(manager, departmentId, []);
    await this.replaceCoHandlers(manager, t.ticketId, []);
    return {
      status: 'assigned',
      patch: { departmentId: to.id, assignedAt: new Date(), acceptedAt: null, returnedBy: null, returnReason: null, returnBy: null },
      type: 'ticket.reassigned',
      payload: {
        number: t.number,
        kind,
        fromDepartmentId: t.departmentId as string,
        departmentId: to.id,
        departmentCode: to.code,
        departmentName: to.name,
        regionCode: t.regionCode,
        demandType: t.demandType,
        domain: t.domain,
        urgency: t.urgency,
        coHandlers: [],
        reason,
      },
    };
  }

  private async departments(manager: EntityManager, mainId: string, coIds: string[]): Promise<[Department, Department[]]> {
    const ids = [...new Set([mainId, ...coIds])];
    const found = await manager.find(Department, { where: { id: In(ids), active: true } });
    const main = found.find((d) => d.id === mainId);
    if (!main) throw conflict('departmentId: no such active department');
    const co = coIds.map((id) => found.find((d) => d.id === id));
    if (co.some((d) => !d) || coIds.includes(mainId)) throw conflict('coHandlerIds: unknown, inactive or the main department');
    return [main, co as Department[]];
  }

  private async replaceCoHandlers(manager: EntityManager, ticketId: string, coHandlers: Department[]): Promise<void> {
    await manager.delete(CoHandler, { ticketId });
    if (coHandlers.length) {
      await manager.insert(CoHandler, coHandlers.map((d) => ({ ticketId, departmentId: d.id, note: null, notedAt: null })));
    }
  }

  private async openRequest(
    manager: EntityManager,
    t: TicketAssignment,
    kind: 'extension' | 'pause',
    reason: string,
    workingDays: number | null,
  ): Promise<string> {
    const pending = await manager.findOneBy(HandlingRequest, { ticketId: t.ticketId, kind, status: 'pending' });
    if (pending) throw conflict(`${kind === 'extension' ? 'workingDays' : 'reason'}: a ${kind} request is already waiting for a decision`);
    const id = uuidv7();
    await manager.insert(HandlingRequest, {
      id,
      ticketId: t.ticketId,
      kind,
      departmentId: t.departmentId as string,
      workingDays,
      reason,
      status: 'pending',
      requestedAt: new Date(),
      decidedAt: null,
    });
    return id;
  }

  private act<T extends EventType>(
    ticketId: string,
    user: AuthenticatedUser,
    action: HandlingAction,
    who: Actor,
    step: (ticket: TicketAssignment, manager: EntityManager) => Promise<Step<T>>,
  ): Promise<{ ticketId: string; status: AssignmentStatus; eventId: string }> {
    return this.dataSource.transaction(async (manager) => {
      const ticket = await manager.findOne(TicketAssignment, { where: { ticketId }, lock: { mode: 'pessimistic_write' } });
      if (!ticket || !(await this.mayAct(manager, ticket, user, who))) throw notFound();
      const why = refusal(action, ticket.status);
      if (why) throw conflict(why);
      const next = await step(ticket, manager);
      const event: EventEnvelope = createEvent(next.type, next.payload, {
        ticketId,
        actor: actorOf(user),
        ...(ticket.lastEventId && ticket.correlationId
          ? { cause: { eventId: ticket.lastEventId, correlationId: ticket.correlationId } }
          : {}),
      });
      const status = next.status ?? ticket.status;
      await manager.update(TicketAssignment, { ticketId }, { ...next.patch, status, lastEventId: event.eventId });
      await appendToOutbox(manager, [event]);
      return { ticketId, status, eventId: event.eventId };
    });
  }

  private async mayAct(manager: EntityManager, ticket: TicketAssignment, user: AuthenticatedUser, who: Actor): Promise<boolean> {
    switch (who) {
      case 'main-handler':
        return user.role === 'handler' && !!user.departmentId && ticket.departmentId === user.departmentId;
      case 'co-handler':
        return (
          user.role === 'handler' &&
          !!user.departmentId &&
          (await manager.existsBy(CoHandler, { ticketId: ticket.ticketId, departmentId: user.departmentId }))
        );
      case 'dispatch':
        return user.role === 'dispatcher' || user.role === 'supervisor';
    }
  }
}

function ref(d: Department) {
  return { departmentId: d.id, departmentCode: d.code, departmentName: d.name };
}
