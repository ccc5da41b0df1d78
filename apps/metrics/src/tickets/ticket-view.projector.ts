import { KnownEvent } from '@hotline/contracts';
import { EntityManager } from 'typeorm';
import type { ProjectionFacts } from '../projection/counter-rules';

/** A ticket view row as the projection folds it: the table's columns, instants as epoch ms. */
export interface TicketViewRow {
  ticket_id: string;
  number: string | null;
  status: string | null;
  channel: string | null;
  demand_type: string | null;
  domain: string | null;
  urgency: string | null;
  region_code: string | null;
  title: string | null;
  department_id: string | null;
  department_name: string | null;
  first_department_id: string | null;
  received_at: number | null;
  assigned_at: number | null;
  sign_for_deadline: number | null;
  reply_deadline: number | null;
  resolved_at: number | null;
  status_at: number | null;
  closed_at: number | null;
  warning: boolean;
  overdue: boolean;
  warning_at: number | null;
  overdue_at: number | null;
  flags_reset_at: number | null;
  escalation_level: number;
  callback_count: number;
  repeat_count: number;
}

const INSTANTS = [
  'received_at',
  'assigned_at',
  'sign_for_deadline',
  'reply_deadline',
  'resolved_at',
  'status_at',
  'closed_at',
  'warning_at',
  'overdue_at',
  'flags_reset_at',
] as const satisfies readonly (keyof TicketViewRow)[];

/** A row as the table's defaults make it. */
function emptyRow(ticketId: string): TicketViewRow {
  return {
    ticket_id: ticketId,
    number: null,
    status: null,
    channel: null,
    demand_type: null,
    domain: null,
    urgency: null,
    region_code: null,
    title: null,
    department_id: null,
    department_name: null,
    first_department_id: null,
    received_at: null,
    assigned_at: null,
    sign_for_deadline: null,
    reply_deadline: null,
    resolved_at: null,
    status_at: null,
    closed_at: null,
    warning: false,
    overdue: false,
    warning_at: null,
    overdue_at: null,
    flags_reset_at: null,
    escalation_level: 0,
    callback_count: 0,
    repeat_count: 0,
  };
}

const NO_FACTS: ProjectionFacts = { firstAssignment: false };
const ms = (iso: string): number => Date.parse(iso);
/** SQL's greatest(): the larger, ignoring a missing one. */
const later = (a: number | null, b: number): number => (a === null || b > a ? b : a);

/**
 * Moves the ticket's status, unless a later event already moved it: events of one ticket come
 * from three topics, so an older status change may arrive after a newer one.
 */
function setStatus(row: TicketViewRow, at: number, status: string): void {
  if (row.status_at === null || row.status_at <= at) row.status = status;
  row.status_at = later(row.status_at, at);
}

/** Raises the warning or overdue flag, unless a signing after the event has cleared it. */
/** The ticket view's column of a department clock's deadline. */
function deadlineColumn(clock: 'sign-for' | 'reply'): 'sign_for_deadline' | 'reply_deadline' {
  return clock === 'sign-for' ? 'sign_for_deadline' : 'reply_deadline';
}

function raiseFlag(row: TicketViewRow, at: number, flag: 'warning' | 'overdue'): void {
  const raisedAt = later(row[`${flag}_at`], at);
  row[`${flag}_at`] = raisedAt;
  row[flag] = raisedAt > (row.flags_reset_at ?? -Infinity);
}

/**
 * One event applied to a ticket's view row (`undefined`: the ticket has none yet), in place or
 * as a new row. Pure: the rules of the view, tested without a database. Every rule holds in
 * whatever order a ticket's events arrive (they come from three topics): a status only moves
 * forward in time, flags are judged by when they were raised and cleared, and the row is made by
 * whichever event comes first (except a deadline's change or an extension, which only update).
 */
export function applyToTicketView(
  current: TicketViewRow | undefined,
  event: KnownEvent,
): { row: TicketViewRow | undefined; facts: ProjectionFacts } {
  const at = ms(event.occurredAt);
  const row = (): TicketViewRow => current ?? emptyRow(event.ticketId);
  switch (event.type) {
    case 'ticket.received': {
      const p = event.payload;
      const r = row();
      Object.assign(r, {
        number: p.number,
        channel: p.channel,
        demand_type: p.demandType,
        domain: p.domain,
        urgency: p.urgency,
        region_code: p.regionCode,
        title: p.title,
        received_at: ms(p.receivedAt),
      });
      r.status ??= 'received';
      return { row: r, facts: NO_FACTS };
    }
    case 'ticket.assigned': {
      const p = event.payload;
      if (!current) {
        const r = Object.assign(emptyRow(event.ticketId), {
          number: p.number,
          status: 'assigned',
          status_at: at,
          demand_type: p.demandType,
          domain: p.domain,
          urgency: p.urgency,
          region_code: p.regionCode,
          department_id: p.departmentId,
          department_name: p.departmentName,
          first_department_id: p.departmentId,
          received_at: ms(p.receivedAt),
          assigned_at: at,
        });
        return { row: r, facts: { firstAssignment: true } };
      }
      const firstAssignment = current.first_department_id === null;
      setStatus(current, at, 'assigned');
      current.department_id = p.departmentId;
      current.department_name = p.departmentName;
      current.assigned_at = at;
      current.first_department_id ??= p.departmentId;
      current.region_code ??= p.regionCode;
      current.number ??= p.number;
      return { row: current, facts: { firstAssignment } };
    }
    case 'ticket.resolved-on-call': {
      // Like any status: a later one already applied (closed) is not overwritten.
      const r = row();
      setStatus(r, at, 'resolved-on-call');
      r.resolved_at = ms(event.payload.resolvedAt);
      return { row: r, facts: NO_FACTS };
    }
    case 'ticket.repeat-linked': {
      const r = row();
      r.repeat_count = Math.max(r.repeat_count, event.payload.repeatCount);
      return { row: r, facts: NO_FACTS };
    }
    case 'ticket.accepted': {
      const r = row();
      setStatus(r, at, 'accepted');
      // A new clock starts on signing: the flags raised before it no longer apply (those raised
      // after it, perhaps projected first, still do).
      const reset = later(r.flags_reset_at, at);
      r.flags_reset_at = reset;
      r.warning = r.warning_at !== null && r.warning_at > reset;
      r.overdue = r.overdue_at !== null && r.overdue_at > reset;
      return { row: r, facts: NO_FACTS };
    }
    case 'ticket.replied':
      return status(row(), at, 'replied');
    case 'ticket.returned':
      return status(row(), at, 'returned');
    case 'ticket.return-rejected':
      return status(row(), at, 'assigned');
    case 'ticket.reassigned': {
      const r = row();
      setStatus(r, at, 'assigned');
      r.department_id = event.payload.departmentId;
      r.department_name = event.payload.departmentName;
      return { row: r, facts: NO_FACTS };
    }
    case 'ticket.reply-reviewed':
      return status(row(), at, event.payload.approved ? 'callback' : 'accepted');
    case 'ticket.reopened':
      return status(row(), at, 'reopened');
    case 'ticket.closed': {
      const r = row();
      setStatus(r, at, 'closed');
      r.closed_at = ms(event.payload.closedAt);
      return { row: r, facts: NO_FACTS };
    }
    case 'ticket.extension-decided':
      // Only a ticket already seen gets the new deadline (its clock's own events carry it too).
      if (current && event.payload.approved && event.payload.replyDeadline) current.reply_deadline = ms(event.payload.replyDeadline);
      return { row: current, facts: NO_FACTS };
    // The flags and deadlines are the department's (its sign-for and reply clocks): a call-back
    // clock's warning or overdue, the hotline's own, leaves them as they are.
    case 'ticket.sla-warning': {
      if (event.payload.clock === 'callback') return { row: current, facts: NO_FACTS };
      const r = row();
      raiseFlag(r, at, 'warning');
      return { row: r, facts: NO_FACTS };
    }
    case 'ticket.overdue': {
      if (event.payload.clock === 'callback') return { row: current, facts: NO_FACTS };
      const r = row();
      raiseFlag(r, at, 'overdue');
      return { row: r, facts: NO_FACTS };
    }
    case 'ticket.escalated': {
      // The row may not exist yet (this ticket's received event is on another topic): it is
      // made, so the flag is not lost.
      const r = row();
      r.escalation_level = Math.max(r.escalation_level, Number(event.payload.level));
      return { row: r, facts: NO_FACTS };
    }
    case 'ticket.callback-recorded': {
      const r = row();
      r.callback_count += 1;
      return { row: r, facts: NO_FACTS };
    }
    case 'ticket.sla-recomputed':
      if (current && event.payload.clock !== 'callback') current[deadlineColumn(event.payload.clock)] = ms(event.payload.deadline);
      return { row: current, facts: NO_FACTS };
    case 'ticket.sla-started': {
      if (event.payload.clock === 'callback') return { row: current, facts: NO_FACTS };
      const r = row();
      r[deadlineColumn(event.payload.clock)] = ms(event.payload.deadline);
      return { row: r, facts: NO_FACTS };
    }
    case 'ticket.urged':
    case 'ticket.pause-decided':
    case 'ticket.routing-review-requested':
    case 'ticket.extension-requested':
    case 'ticket.pause-requested':
    case 'ticket.co-handling-noted':
    case 'ticket.supplemented':
    case 'metrics.hotspot-detected':
      return { row: current, facts: NO_FACTS };
  }
}

function status(r: TicketViewRow, at: number, to: string): { row: TicketViewRow; facts: ProjectionFacts } {
  setStatus(r, at, to);
  return { row: r, facts: NO_FACTS };
}

const COLUMNS = Object.keys(emptyRow('')) as (keyof TicketViewRow)[];

/**
 * Applies a batch of events to the ticket view: the rows of their tickets read once, every event
 * folded in order in memory (`applyToTicketView`), the rows that changed written in one
 * statement. Returns each event's facts, in the events' order.
 *
 * Two replicas may project one ticket's events of two topics at once (a ticket's topics'
 * partitions can be held by different members): the tickets are locked first, in one order,
 * until the transaction ends, so the read, fold and write of a row are never interleaved.
 */
export async function projectTicketViews(manager: EntityManager, events: readonly KnownEvent[]): Promise<ProjectionFacts[]> {
  if (!events.length) return [];
  const ids = [...new Set(events.map((e) => e.ticketId.toLowerCase()))].sort();
  await manager.query(
    `SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtext('metrics:ticket-view:' || id) AS k FROM unnest($1::text[]) id ORDER BY 1) l`,
    [ids],
  );
  const stored: Record<string, unknown>[] = await manager.query(
    `SELECT ${COLUMNS.join(', ')} FROM metrics.ticket_view WHERE ticket_id = ANY($1::uuid[])`,
    [ids],
  );
  const rows = new Map<string, TicketViewRow>();
  const before = new Map<string, string>();
  for (const raw of stored) {
    const row = { ...raw } as unknown as TicketViewRow;
    for (const column of INSTANTS) {
      const value = raw[column];
      row[column] = value instanceof Date ? value.getTime() : value === null ? null : Date.parse(String(value));
    }
    rows.set(row.ticket_id, row);
    before.set(row.ticket_id, JSON.stringify(row));
  }
  const facts = events.map((event) => {
    const id = event.ticketId.toLowerCase();
    const applied = applyToTicketView(rows.get(id), event);
    if (applied.row) rows.set(id, applied.row);
    return applied.facts;
  });
  const changed = [...rows.values()].filter((row) => JSON.stringify(row) !== before.get(row.ticket_id));
  if (changed.length) {
    const json = changed.map((row) => {
      const out: Record<string, unknown> = { ...row };
      for (const column of INSTANTS) out[column] = row[column] === null ? null : new Date(row[column] as number).toISOString();
      return out;
    });
    await manager.query(
      `INSERT INTO metrics.ticket_view (${COLUMNS.join(', ')})
       SELECT ${COLUMNS.join(', ')} FROM jsonb_populate_recordset(NULL::metrics.ticket_view, $1::jsonb)
       ON CONFLICT (ticket_id) DO UPDATE SET ${COLUMNS.filter((c) => c !== 'ticket_id')
         .map((c) => `${c} = EXCLUDED.${c}`)
         .join(', ')}`,
      [JSON.stringify(json)],
    );
  }
  return facts;
}
