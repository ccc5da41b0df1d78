import { WorkingCalendar } from '@hotline/calendar';
import { createEvent, EventEnvelope, SlaClockKind, SlaUnit, toOffsetIso, uuidv7 } from '@hotline/contracts';
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
 * A clock of `kind` for the cause's ticket under `rule`. It runs from the moment of the cause,
 * not from when we happen to process it.
 */
export function planClockStart(
  calendar: WorkingCalendar,
  cause: EventEnvelope,
  kind: SlaClockKind,
  departmentId: string,
  rule: ClockRule,
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
