import { KnownEvent } from '@hotline/contracts';
import { EntityManager } from 'typeorm';
import type { ProjectionFacts } from '../projection/counter-rules';

/**
 * Applies one event to the ticket view. Upserts throughout, because a ticket's events come
 * from three topics in no guaranteed order. Returns whether this was the ticket's first
 * assignment (its receipt is then counted for that department).
 */
export async function projectTicketView(
  manager: EntityManager,
  event: KnownEvent,
): Promise<ProjectionFacts> {
  switch (event.type) {
    case 'ticket.received': {
      const p = event.payload;
      await manager.query(
        `INSERT INTO metrics.ticket_view
           (ticket_id, number, status, channel, demand_type, domain, urgency, region_code, title, received_at)
         VALUES ($1, $2, 'received', $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (ticket_id) DO UPDATE SET
           number = EXCLUDED.number, channel = EXCLUDED.channel, demand_type = EXCLUDED.demand_type,
           domain = EXCLUDED.domain, urgency = EXCLUDED.urgency, region_code = EXCLUDED.region_code,
           title = EXCLUDED.title, received_at = EXCLUDED.received_at,
           status = coalesce(ticket_view.status, 'received')`,
        [event.ticketId, p.number, p.channel, p.demandType, p.domain, p.urgency, p.regionCode, p.title, p.receivedAt],
      );
      return { firstAssignment: false };
    }
    case 'ticket.assigned': {
      const p = event.payload;
      const rows: { first: boolean }[] = await manager.query(
        `WITH before AS (SELECT first_department_id FROM metrics.ticket_view WHERE ticket_id = $1 FOR UPDATE)
         INSERT INTO metrics.ticket_view
           (ticket_id, number, status, status_at, demand_type, domain, urgency, region_code, department_id,
            department_name, first_department_id, received_at, assigned_at)
         VALUES ($1, $2, 'assigned', $10, $3, $4, $5, $6, $7, $8, $7, $9, $10)
         ON CONFLICT (ticket_id) DO UPDATE SET
           status = CASE WHEN ticket_view.status_at IS NULL OR ticket_view.status_at <= EXCLUDED.status_at
                         THEN 'assigned' ELSE ticket_view.status END,
           status_at = greatest(ticket_view.status_at, EXCLUDED.status_at),
           department_id = EXCLUDED.department_id, department_name = EXCLUDED.department_name,
           assigned_at = EXCLUDED.assigned_at,
           first_department_id = coalesce(ticket_view.first_department_id, EXCLUDED.first_department_id),
           region_code = coalesce(ticket_view.region_code, EXCLUDED.region_code),
           number = coalesce(ticket_view.number, EXCLUDED.number)
         RETURNING (SELECT first_department_id IS NULL FROM before) IS NOT FALSE AS first`,
        [
          event.ticketId,
          p.number,
          p.demandType,
          p.domain,
          p.urgency,
          p.regionCode,
          p.departmentId,
          p.departmentName,
          p.receivedAt,
          event.occurredAt,
        ],
      );
      return { firstAssignment: rows[0]?.first ?? false };
    }
    case 'ticket.resolved-on-call':
      // Like any status: a later one already applied (closed) is not overwritten.
      await setStatus(manager, event, 'resolved-on-call', { resolved_at: event.payload.resolvedAt });
      return { firstAssignment: false };
    case 'ticket.repeat-linked':
      await manager.query(
        `INSERT INTO metrics.ticket_view (ticket_id, repeat_count) VALUES ($1, $2)
         ON CONFLICT (ticket_id) DO UPDATE SET repeat_count = greatest(ticket_view.repeat_count, EXCLUDED.repeat_count)`,
        [event.ticketId, event.payload.repeatCount],
      );
      return { firstAssignment: false };
    case 'ticket.accepted': {
      const facts = await setStatus(manager, event, 'accepted');
      // A new clock starts on signing: the flags raised before it no longer apply (those raised
      // after it, perhaps projected first, still do).
      await manager.query(
        `UPDATE metrics.ticket_view SET flags_reset_at = greatest(flags_reset_at, $2),
                warning = coalesce(warning_at > greatest(flags_reset_at, $2), false),
                overdue = coalesce(overdue_at > greatest(flags_reset_at, $2), false)
          WHERE ticket_id = $1`,
        [event.ticketId, event.occurredAt],
      );
      return facts;
    }
    case 'ticket.replied':
      return setStatus(manager, event, 'replied');
    case 'ticket.returned':
      return setStatus(manager, event, 'returned');
    case 'ticket.return-rejected':
      return setStatus(manager, event, 'assigned');
    case 'ticket.reassigned':
      return setStatus(manager, event, 'assigned', {
        department_id: event.payload.departmentId,
        department_name: event.payload.departmentName,
      });
    case 'ticket.reply-reviewed':
      return setStatus(manager, event, event.payload.approved ? 'callback' : 'accepted');
    case 'ticket.reopened':
      return setStatus(manager, event, 'reopened');
    case 'ticket.closed':
      return setStatus(manager, event, 'closed', { closed_at: event.payload.closedAt });
    case 'ticket.extension-decided': {
      if (event.payload.approved && event.payload.replyDeadline) {
        await manager.query(`UPDATE metrics.ticket_view SET reply_deadline = $2 WHERE ticket_id = $1`, [
          event.ticketId,
          event.payload.replyDeadline,
        ]);
      }
      return { firstAssignment: false };
    }
    case 'ticket.sla-warning':
      return raiseFlag(manager, event, 'warning');
    case 'ticket.overdue':
      return raiseFlag(manager, event, 'overdue');
    case 'ticket.escalated':
      return setFlags(manager, event.ticketId, `escalation_level = greatest(escalation_level, ${Number(event.payload.level)})`);
    case 'ticket.callback-recorded':
      return setFlags(manager, event.ticketId, `callback_count = callback_count + 1`);
    case 'ticket.sla-recomputed': {
      const column = event.payload.clock === 'sign-for' ? 'sign_for_deadline' : 'reply_deadline';
      await manager.query(`UPDATE metrics.ticket_view SET ${column} = $2 WHERE ticket_id = $1`, [event.ticketId, event.payload.deadline]);
      return { firstAssignment: false };
    }
    case 'ticket.urged':
    case 'ticket.pause-decided':
    case 'ticket.routing-review-requested':
    case 'ticket.extension-requested':
    case 'ticket.pause-requested':
    case 'ticket.co-handling-noted':
    case 'ticket.supplemented':
    case 'metrics.hotspot-detected':
      return { firstAssignment: false };
    case 'ticket.sla-started': {
      const p = event.payload;
      const column = p.clock === 'sign-for' ? 'sign_for_deadline' : 'reply_deadline';
      await manager.query(
        `INSERT INTO metrics.ticket_view (ticket_id, ${column}) VALUES ($1, $2)
         ON CONFLICT (ticket_id) DO UPDATE SET ${column} = EXCLUDED.${column}`,
        [event.ticketId, p.deadline],
      );
      return { firstAssignment: false };
    }
  }
}

/**
 * Moves the ticket's status, unless a later event already moved it: events of one ticket come
 * from three topics, so an older status change may arrive after a newer one.
 */
async function setStatus(
  manager: EntityManager,
  event: KnownEvent,
  status: string,
  extra: Record<string, string> = {},
): Promise<ProjectionFacts> {
  const columns = Object.keys(extra);
  const values = Object.values(extra);
  const assignments = columns.map((c, i) => `${c} = $${i + 4}`).join(', ');
  await manager.query(
    `INSERT INTO metrics.ticket_view (ticket_id, status, status_at${columns.map((c) => `, ${c}`).join('')})
     VALUES ($1, $2, $3${columns.map((_, i) => `, $${i + 4}`).join('')})
     ON CONFLICT (ticket_id) DO UPDATE SET
       status = CASE WHEN ticket_view.status_at IS NULL OR ticket_view.status_at <= EXCLUDED.status_at
                     THEN EXCLUDED.status ELSE ticket_view.status END,
       status_at = greatest(ticket_view.status_at, EXCLUDED.status_at)${assignments ? `, ${assignments}` : ''}`,
    [event.ticketId, status, event.occurredAt, ...values],
  );
  return { firstAssignment: false };
}

/** Raises the warning or overdue flag, unless a signing after the event has cleared it. */
async function raiseFlag(manager: EntityManager, event: KnownEvent, flag: 'warning' | 'overdue'): Promise<ProjectionFacts> {
  await manager.query(
    `INSERT INTO metrics.ticket_view (ticket_id, ${flag}_at, ${flag}) VALUES ($1, $2, true)
     ON CONFLICT (ticket_id) DO UPDATE SET
       ${flag}_at = greatest(ticket_view.${flag}_at, EXCLUDED.${flag}_at),
       ${flag} = greatest(ticket_view.${flag}_at, EXCLUDED.${flag}_at) > coalesce(ticket_view.flags_reset_at, '-infinity')`,
    [event.ticketId, event.occurredAt],
  );
  return { firstAssignment: false };
}

/** Sets flags of the view (a fixed SQL fragment per event type, never input). */
async function setFlags(manager: EntityManager, ticketId: string, assignment: string): Promise<ProjectionFacts> {
  // The row may not exist yet (this ticket's received event is on another topic): create it, so
  // the flag is not lost.
  await manager.query(`INSERT INTO metrics.ticket_view (ticket_id) VALUES ($1) ON CONFLICT (ticket_id) DO NOTHING`, [ticketId]);
  await manager.query(`UPDATE metrics.ticket_view SET ${assignment} WHERE ticket_id = $1`, [ticketId]);
  return { firstAssignment: false };
}
