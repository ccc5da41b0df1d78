import { createEvent, EscalationReason, EventActor, EventEnvelope, SYSTEM_ACTOR } from '@hotline/contracts';
import { EntityManager } from 'typeorm';
import { SupervisedTicket } from '../supervised-tickets/supervised-ticket.entity';

/** The escalation ladder of DOMAIN.md, in the words of the notices sent. */
export const LADDER: Record<1 | 2 | 3, string> = {
  1: '催办',
  2: '督办',
  3: '挂牌督办',
};

export function escalationNotice(ticket: Pick<SupervisedTicket, 'number'>, level: 1 | 2 | 3, reason: EscalationReason, note?: string): string {
  const why: Record<EscalationReason, string> = {
    warning: '已达到办理时限预警点',
    overdue: '已超过办理时限',
    listed: '超过办理时限5个工作日仍未办结',
    repeats: '同一诉求重复来电已达3次',
    manual: '经督办员研判',
  };
  const to: Record<1 | 2 | 3, string> = {
    1: '请承办人抓紧办理。',
    2: '请承办单位负责人督促办理，并于1个工作日内反馈办理进展。',
    3: '予以挂牌督办，并报局领导。',
  };
  return `【${LADDER[level]}】工单${ticket.number}${why[reason]}，${to[level]}${note ? `督办意见：${note}` : ''}`;
}

/** The cause of a ticket's next event: the last one supervision wrote or applied. */
export function causeOf(ticket: SupervisedTicket): { eventId: string; correlationId: string } | undefined {
  return ticket.lastEventId && ticket.correlationId ? { eventId: ticket.lastEventId, correlationId: ticket.correlationId } : undefined;
}

/**
 * Raises the ticket to `level` if it is not there yet, returning the `ticket.escalated` event
 * to write (none when the ticket already stands at or above it, unless the escalation is manual).
 */
export async function escalate(
  manager: EntityManager,
  ticket: SupervisedTicket,
  level: 1 | 2 | 3,
  reason: EscalationReason,
  actor: EventActor = SYSTEM_ACTOR,
  note?: string,
): Promise<EventEnvelope | null> {
  if (ticket.escalationLevel >= level && reason !== 'manual') return null;
  const event = createEvent(
    'ticket.escalated',
    { level, reason, departmentId: ticket.departmentId ?? undefined, notice: escalationNotice(ticket, level, reason, note) },
    { ticketId: ticket.ticketId, actor, cause: causeOf(ticket) },
  );
  ticket.escalationLevel = Math.max(ticket.escalationLevel, level);
  ticket.lastEventId = event.eventId;
  await manager.update(
    SupervisedTicket,
    { ticketId: ticket.ticketId },
    { escalationLevel: ticket.escalationLevel, lastEventId: event.eventId },
  );
  return event;
}
