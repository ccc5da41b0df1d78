import { WorkingCalendar } from '@hotline/calendar';
import type { SlaLimit } from '../sla-policies/sla-policy';

export interface ComputedDeadline {
  deadline: Date;
  warningAt: Date;
  calendarConfirmed: boolean;
}

/**
 * Deadline of a limit started at `startedAt`, and the warning instant at `warningFraction` of the
 * allowed time — working time for working-day limits, so a warning never falls in a holiday.
 */
export function computeDeadline(
  calendar: WorkingCalendar,
  startedAt: Date,
  limit: SlaLimit,
  warningFraction: number,
): ComputedDeadline {
  const r = calendar.deadlineWithWarning(startedAt, limit.amount, limit.unit, warningFraction);
  return { deadline: r.deadline, warningAt: r.warningAt, calendarConfirmed: r.confirmed };
}
