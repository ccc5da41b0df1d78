import type { SlaUnit, Urgency } from '../enums/ticket.enums';

/**
 * 退单 (DOMAIN.md, default deadlines): how long after assignment a department may return a wrongly
 * routed ticket, and how often. Shared because two services apply it: supervision computes the
 * window on its calendar (with the administrator's overrides) and announces it with the sign-for
 * clock; assignment refuses a return after it.
 */
export const RETURN_POLICY = {
  limit: { normal: { amount: 2, unit: 'working-days' }, urgent: { amount: 2, unit: 'hours' } } as Record<
    Urgency,
    { amount: number; unit: SlaUnit }
  >,
  /** Returns a ticket may have before only a supervisor can move it (no ping-pong). */
  maxReturns: 2,
};
