import type { EventEnvelope } from '@hotline/contracts';
import { EntityManager } from 'typeorm';
import { escalate } from '../escalation/escalation';
import { SlaPolicyRuleRow } from '../sla-policies/sla-policy-rule.entity';
import { SupervisedTicket } from '../supervised-tickets/supervised-ticket.entity';

/** Repeats (并单) of one matter after which it comes under 督办, when the policy names none. */
export const REPEATS_FOR_SUPERVISION = 3;

/**
 * A ticket's repeat count went up to `count`: recorded on the supervised ticket and, at the
 * policy's threshold, 督办 (level 2). A repeat of a ticket supervision does not know yet (its
 * assignment not consumed yet: topics run side by side) is kept aside and applied on assignment,
 * so no repeat is lost to the order events arrive in (`AssignedClockBatch` applies it).
 */
export async function applyRepeatCount(manager: EntityManager, ticketId: string, count: number): Promise<EventEnvelope | null> {
  await lockRepeatsOf(manager, ticketId);
  const ticket = await manager.findOne(SupervisedTicket, { where: { ticketId }, lock: { mode: 'pessimistic_write' } });
  if (!ticket) {
    await manager.query(
      `INSERT INTO supervision.early_repeat (ticket_id, repeat_count) VALUES ($1, $2)
       ON CONFLICT (ticket_id) DO UPDATE SET repeat_count = greatest(early_repeat.repeat_count, EXCLUDED.repeat_count)`,
      [ticketId, count],
    );
    return null;
  }
  ticket.repeatCount = Math.max(ticket.repeatCount, count);
  await manager.update(SupervisedTicket, { ticketId }, { repeatCount: ticket.repeatCount });
  const rule = await manager.findOne(SlaPolicyRuleRow, { where: { demandType: ticket.demandType, urgency: ticket.urgency }, order: { version: 'DESC' } });
  if (ticket.repeatCount >= (rule?.repeatsForSupervision ?? REPEATS_FOR_SUPERVISION) && ticket.status !== 'closed') {
    return escalate(manager, ticket, 2, 'repeats');
  }
  return null;
}

/**
 * The repeat and the assignment of one ticket are consumed side by side (two consumer groups,
 * partitions applied at once): without a common lock, a repeat could look for the ticket before
 * the assignment's transaction commits and be kept aside after that transaction looked for it,
 * and stay aside for good. Held until the transaction ends.
 */
async function lockRepeatsOf(manager: EntityManager, ticketId: string): Promise<void> {
  await lockRepeatsOfAll(manager, [ticketId]);
}

/** The same lock for many tickets in one statement, taken in one order (no deadlock between two batches). */
export async function lockRepeatsOfAll(manager: EntityManager, ticketIds: string[]): Promise<void> {
  await manager.query(
    `SELECT pg_advisory_xact_lock(key)
       FROM (SELECT DISTINCT hashtext('supervision:repeats:' || id) AS key FROM unnest($1::text[]) AS id ORDER BY 1) AS keys`,
    [ticketIds],
  );
}
