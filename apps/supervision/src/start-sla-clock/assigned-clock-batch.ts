import { WorkingCalendar } from '@hotline/calendar';
import { EventEnvelope, KnownEvent } from '@hotline/contracts';
import { appendToOutbox } from '@hotline/messaging';
import { EntityManager } from 'typeorm';
import { applyRepeatCount, lockRepeatsOfAll } from '../tracking/repeat-supervision';
import { ClockRule, planClockStart } from './clock-start';

export type TicketAssignedEvent = Extract<KnownEvent, { type: 'ticket.assigned' | 'ticket.reassigned' }>;

/**
 * 派单即计时 for a consumer batch at once: the assignments (and reassignments) of a batch are
 * collected, then applied in a handful of statements whatever their number — the policy rules
 * read once, every supervised ticket upserted, its running clocks stopped and its sign-for clock
 * started in one statement, the repeats that came before the assignment taken in two — instead of
 * seven round trips a ticket. A ticket is applied in the order of its events: the consumer's
 * other handlers apply what is collected before they run, and a second assignment of a ticket
 * applies the first one before it is collected.
 */
export class AssignedClockBatch {
  private readonly pending: TicketAssignedEvent[] = [];
  private readonly tickets = new Set<string>();

  constructor(
    private readonly manager: EntityManager,
    private readonly calendar: WorkingCalendar,
  ) {}

  async add(event: TicketAssignedEvent): Promise<void> {
    if (this.tickets.has(event.ticketId)) await this.apply();
    this.pending.push(event);
    this.tickets.add(event.ticketId);
  }

  /** Applies what was collected; the batch is empty after. */
  async apply(): Promise<void> {
    const events = this.pending.splice(0);
    this.tickets.clear();
    if (!events.length) return;
    const rules = await this.readRules(events);
    const starts = events.map((e) => {
      const rule = rules.get(ruleKey(e.payload.demandType, e.payload.urgency));
      if (!rule) throw new Error(`no SLA policy for ${e.payload.demandType}/${e.payload.urgency}`);
      return planClockStart(this.calendar, e, 'sign-for', e.payload.departmentId, rule, e.payload.urgency);
    });
    const tickets = events.map((e, i) => ({
      ticket_id: e.ticketId,
      number: e.payload.number,
      demand_type: e.payload.demandType,
      urgency: e.payload.urgency,
      department_id: e.payload.departmentId,
      region_code: e.payload.regionCode,
      correlation_id: e.correlationId,
      // The ticket's last event is the clock start that follows from its assignment.
      last_event_id: starts[i].started.eventId,
      stopped_at: e.occurredAt,
    }));
    const clocks = starts.map((s) => ({
      id: s.clockId,
      ticket_id: s.ticketId,
      kind: s.kind,
      department_id: s.departmentId,
      started_at: s.startedAt.toISOString(),
      warning_at: s.warningAt.toISOString(),
      deadline: s.deadline.toISOString(),
      limit_amount: s.limit.amount,
      limit_unit: s.limit.unit,
      policy_version: s.policyVersion,
      calendar_confirmed: s.calendarConfirmed,
      started_by_event_id: s.causeEventId,
    }));
    // One statement: every sub-statement sees the same snapshot, so the stop cannot touch the
    // clocks this statement starts.
    await this.manager.query(
      `WITH ticket AS (
         INSERT INTO supervision.supervised_ticket
           (ticket_id, number, demand_type, urgency, department_id, region_code, status, correlation_id, last_event_id)
         SELECT ticket_id, number, demand_type, urgency, department_id, region_code, 'handling', correlation_id, last_event_id
           FROM jsonb_to_recordset($1::jsonb) AS t(ticket_id uuid, number text, demand_type text, urgency text,
                department_id uuid, region_code text, correlation_id uuid, last_event_id uuid)
         ON CONFLICT (ticket_id) DO UPDATE SET
           number = EXCLUDED.number, demand_type = EXCLUDED.demand_type, urgency = EXCLUDED.urgency,
           department_id = EXCLUDED.department_id, region_code = EXCLUDED.region_code, status = EXCLUDED.status,
           correlation_id = EXCLUDED.correlation_id, last_event_id = EXCLUDED.last_event_id
       ), stopped AS (
         UPDATE supervision.sla_clock c SET status = 'stopped', stopped_at = t.stopped_at, next_due_at = NULL
           FROM jsonb_to_recordset($1::jsonb) AS t(ticket_id uuid, stopped_at timestamptz)
          WHERE c.ticket_id = t.ticket_id AND c.status IN ('running', 'paused')
       )
       INSERT INTO supervision.sla_clock
         (id, ticket_id, kind, department_id, status, started_at, warning_at, deadline, limit_amount, limit_unit,
          policy_version, calendar_confirmed, next_due_at, started_by_event_id)
       SELECT id, ticket_id, kind, department_id, 'running', started_at, warning_at, deadline, limit_amount, limit_unit,
              policy_version, calendar_confirmed, warning_at, started_by_event_id
         FROM jsonb_to_recordset($2::jsonb) AS c(id uuid, ticket_id uuid, kind text, department_id uuid, started_at timestamptz,
              warning_at timestamptz, deadline timestamptz, limit_amount int, limit_unit text, policy_version int,
              calendar_confirmed boolean, started_by_event_id uuid)`,
      [JSON.stringify(tickets), JSON.stringify(clocks)],
    );
    const escalations = await this.applyEarlyRepeats(events.map((e) => e.ticketId));
    await appendToOutbox(this.manager, [...starts.map((s) => s.started), ...escalations]);
  }

  /** The latest rule of every policy the events name, in one read. */
  private async readRules(events: TicketAssignedEvent[]): Promise<Map<string, ClockRule>> {
    const pairs = [...new Map(events.map((e) => [ruleKey(e.payload.demandType, e.payload.urgency), e.payload])).values()];
    const rows: (ClockRule & { demand_type: string; urgency: string })[] = await this.manager.query(
      `SELECT DISTINCT ON (r.demand_type, r.urgency) r.demand_type, r.urgency, r.version, r.sign_for_amount, r.sign_for_unit,
              r.reply_amount, r.reply_unit, r.warning_fraction::float8 AS warning_fraction
         FROM supervision.sla_policy_rule r
         JOIN unnest($1::text[], $2::text[]) AS p(demand_type, urgency) USING (demand_type, urgency)
        ORDER BY r.demand_type, r.urgency, r.version DESC`,
      [pairs.map((p) => p.demandType), pairs.map((p) => p.urgency)],
    );
    return new Map(rows.map((r) => [ruleKey(r.demand_type, r.urgency), r]));
  }

  /** 并单 that came before the assignment (kept aside by the repeat consumer), now applied. */
  private async applyEarlyRepeats(ticketIds: string[]): Promise<EventEnvelope[]> {
    await lockRepeatsOfAll(this.manager, ticketIds);
    // TypeORM answers a DELETE … RETURNING on PostgreSQL with [rows, affected].
    const [rows]: [{ ticket_id: string; repeat_count: number }[], number] = await this.manager.query(
      `DELETE FROM supervision.early_repeat WHERE ticket_id = ANY($1::uuid[]) RETURNING ticket_id, repeat_count`,
      [ticketIds],
    );
    const escalations: EventEnvelope[] = [];
    for (const row of rows) {
      const escalated = await applyRepeatCount(this.manager, row.ticket_id, row.repeat_count);
      if (escalated) escalations.push(escalated);
    }
    return escalations;
  }
}

function ruleKey(demandType: string, urgency: string): string {
  return `${demandType}\u0000${urgency}`;
}
