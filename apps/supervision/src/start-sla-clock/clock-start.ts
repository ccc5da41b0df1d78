import { WorkingCalendar } from '@hotline/calendar';
import { createEvent, EventEnvelope, RETURN_POLICY, SlaClockKind, SlaUnit, toOffsetIso, Urgency, uuidv7 } from '@hotline/contracts';
import { ComputedDeadline, computeDeadline } from './sla-deadline';

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
 * 回访时限 (DOMAIN.md, default deadlines): the citizen is called back within 1 working day of the
 * reply's approval; for an urgent ticket the same working day, by the close of office hours (the
 * next working day's when approved after it). The policy rules hold the department's limits
 * only, so this one is fixed here; its warning comes at the rule's fraction of the office time.
 * The limit announced for "the same day" is the natural minutes it leaves, so that start + limit
 * is the deadline as for every other clock.
 */
export function callbackDeadline(
  calendar: WorkingCalendar,
  approvedAt: Date,
  urgency: Urgency,
  warningFraction: number,
): ComputedDeadline & { limit: { amount: number; unit: SlaUnit } } {
  if (urgency === 'normal') {
    const limit = { amount: 1, unit: 'working-days' as const };
    return { limit, ...computeDeadline(calendar, approvedAt, limit, warningFraction) };
  }
  const end = calendar.endOfWorkingDay(approvedAt);
  return {
    limit: { amount: Math.max(1, Math.ceil((end.deadline.getTime() - approvedAt.getTime()) / 60_000)), unit: 'minutes' },
    deadline: end.deadline,
    warningAt: calendar.warningInstant(approvedAt, end.deadline, warningFraction, 'working-hours'),
    calendarConfirmed: end.confirmed,
  };
}

/**
 * A clock of `kind` for the cause's ticket under `rule`. It runs from the moment of the cause,
 * not from when we happen to process it. A sign-for clock given the ticket's `urgency` also
 * announces the return window; a call-back clock needs it for its limit (normal when not given).
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
  const { limit, deadline, warningAt, calendarConfirmed } = clockDeadline(calendar, kind, startedAt, rule, urgency);
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

/** When a clock of `kind` started at `startedAt` under `rule` warns and falls due. */
export function clockDeadline(
  calendar: WorkingCalendar,
  kind: SlaClockKind,
  startedAt: Date,
  rule: Pick<ClockRule, 'sign_for_amount' | 'sign_for_unit' | 'reply_amount' | 'reply_unit' | 'warning_fraction'>,
  urgency?: Urgency,
): ComputedDeadline & { limit: { amount: number; unit: SlaUnit } } {
  if (kind === 'callback') return callbackDeadline(calendar, startedAt, urgency ?? 'normal', rule.warning_fraction);
  const limit = kind === 'sign-for' ? { amount: rule.sign_for_amount, unit: rule.sign_for_unit } : { amount: rule.reply_amount, unit: rule.reply_unit };
  return { limit, ...computeDeadline(calendar, startedAt, limit, rule.warning_fraction) };
}
