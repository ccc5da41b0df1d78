import { WorkingCalendar } from '@hotline/calendar';
import { createEvent, EventEnvelope, RETURN_POLICY, SlaClockKind, SlaUnit, toOffsetIso, Urgency, uuidv7 } from '@hotline/contracts';
import { computeDeadline } from './sla-deadline';

/** The latest rule of a ticket's SLA policy, as the clock starts read it. */
export interface ClockRule {
  version: number;
  sign_for_amount: number;
  sign_for_unit: SlaUnit;
  reply_amount: number;
  reply_unit: SlaUnit;
  warning_fraction: number;
}

/** A clock about to be written, and the `ticket.sla-started` event that announces it. */
export interface ClockStart {
  clockId: string;
  ticketId: string;
  kind: SlaClockKind;
  departmentId: string;
  startedAt: Date;
  warningAt: Date;
  deadline: Date;
  limit: { amount: number; unit: SlaUnit };
  policyVersion: number;
  calendarConfirmed: boolean;
  causeEventId: string;
  started: EventEnvelope;
}

/**
 * 退单时限: until when the department assigned at `assignedAt` may return the ticket — computed
 * here, on this service's calendar with its overrides, and announced with the sign-for clock.
 */
export function returnWindowEnd(calendar: WorkingCalendar, assignedAt: Date, urgency: Urgency): Date {
  const limit = RETURN_POLICY.limit[urgency];
  return calendar.add(assignedAt, limit.amount, limit.unit).deadline;
}

/**
 * A clock of `kind` for the cause's ticket under `rule`. It runs from the moment of the cause,
 * not from when we happen to process it. A sign-for clock given the ticket's `urgency` also
 * announces the return window.
 */
export function planClockStart(
  calendar: WorkingCalendar,
  cause: EventEnvelope,
  kind: SlaClockKind,
  departmentId: string,
  rule: ClockRule,
  urgency?: Urgency,
): ClockStart {
  const startedAt = new Date(cause.occurredAt);
  const limit =
    kind === 'sign-for' ? { amount: rule.sign_for_amount, unit: rule.sign_for_unit } : { amount: rule.reply_amount, unit: rule.reply_unit };
  const { deadline, warningAt, calendarConfirmed } = computeDeadline(calendar, startedAt, limit, rule.warning_fraction);
  const clockId = uuidv7();
  const started = createEvent(
    'ticket.sla-started',
    {
      clockId,
      clock: kind,
      departmentId,
      startedAt: toOffsetIso(startedAt),
      warningAt: toOffsetIso(warningAt),
      deadline: toOffsetIso(deadline),
      limit,
      policyVersion: rule.version,
      calendarConfirmed,
      ...(kind === 'sign-for' && urgency ? { returnBy: toOffsetIso(returnWindowEnd(calendar, startedAt, urgency)) } : {}),
    },
    { ticketId: cause.ticketId, cause },
  );
  return {
    clockId,
    ticketId: cause.ticketId,
    kind,
    departmentId,
    startedAt,
    warningAt,
    deadline,
    limit,
    policyVersion: rule.version,
    calendarConfirmed,
    causeEventId: cause.eventId,
    started,
  };
}
