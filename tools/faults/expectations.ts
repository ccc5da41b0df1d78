/**
 * What each service must show for a ticket, derived from the generator's record alone: the
 * record's actions are replayed on a model of the closed loop. An action in doubt is replayed
 * both ways (applied, not applied); a combination in which a later, certainly applied action
 * would have been impossible is dropped. The observed ticket must match one combination exactly.
 */
import { ActionType, TicketTruth } from './workload';

/** Event counts by key: the type, split by the field that matters (clock, approval, satisfaction). */
export type Counts = Record<string, number>;

export interface ExpectedOutcome {
  /** The actions taken as applied, in order. */
  applied: ActionType[];
  counts: Counts;
  /** The ticket's events produced by these actions, in order (timer events excluded). */
  sequence: string[];
  assignment: string | null;
  supervision: string | null;
  metrics: string;
  intakeClosed: boolean;
  repeats: number;
  reopens: number;
  resolvedOnCall: boolean;
}

/** Event keys the model predicts; anything else on a timeline (other than timer events) is unexpected. */
export const TIMER_TYPES = new Set(['ticket.sla-warning', 'ticket.overdue', 'ticket.escalated']);

/** The key an observed event is counted under (see Counts). */
export function eventKey(e: { type: string; payload: Record<string, unknown> }): string {
  switch (e.type) {
    case 'ticket.sla-started':
      return `ticket.sla-started:${String(e.payload.clock)}`;
    case 'ticket.reply-reviewed':
      return `ticket.reply-reviewed:${e.payload.approved ? 'approved' : 'rejected'}`;
    case 'ticket.callback-recorded':
      return `ticket.callback-recorded:${String(e.payload.satisfaction)}`;
    default:
      return e.type;
  }
}

interface State extends ExpectedOutcome {
  valid: boolean;
}

function bump(s: State, ...keys: string[]): void {
  for (const key of keys) {
    s.counts[key] = (s.counts[key] ?? 0) + 1;
    s.sequence.push(key.split(':')[0]);
  }
}

/** Applies one action to the model; marks the state invalid when the action was not possible. */
function apply(s: State, action: ActionType, onCall: boolean): void {
  const need = (ok: boolean) => {
    if (!ok) s.valid = false;
    return ok;
  };
  s.applied.push(action);
  switch (action) {
    case 'create':
      if (onCall) {
        bump(s, 'ticket.received', 'ticket.resolved-on-call');
        Object.assign(s, { assignment: null, supervision: 'awaiting-callback', metrics: 'resolved-on-call', resolvedOnCall: true });
      } else {
        bump(s, 'ticket.received', 'ticket.assigned', 'ticket.sla-started:sign-for');
        Object.assign(s, { assignment: 'assigned', supervision: 'handling', metrics: 'assigned' });
      }
      return;
    case 'repeat':
      bump(s, 'ticket.repeat-linked');
      s.repeats += 1;
      return;
    case 'accept':
      if (!need(s.assignment === 'assigned' || s.assignment === 'reopened')) return;
      bump(s, 'ticket.accepted', 'ticket.sla-started:reply');
      Object.assign(s, { assignment: 'accepted', supervision: 'handling', metrics: 'accepted' });
      return;
    case 'reply':
      if (!need(s.assignment === 'accepted')) return;
      bump(s, 'ticket.replied');
      Object.assign(s, { assignment: 'replied', supervision: 'awaiting-review', metrics: 'replied' });
      return;
    case 'review-approve':
      if (!need(s.supervision === 'awaiting-review')) return;
      // The approval starts the call-back clock (回访时限) in the same transaction.
      bump(s, 'ticket.reply-reviewed:approved', 'ticket.sla-started:callback');
      Object.assign(s, { supervision: 'awaiting-callback', metrics: 'callback' });
      return;
    case 'review-reject':
      if (!need(s.supervision === 'awaiting-review')) return;
      bump(s, 'ticket.reply-reviewed:rejected');
      Object.assign(s, { assignment: 'accepted', supervision: 'handling', metrics: 'accepted' });
      return;
    case 'callback-satisfied':
    case 'callback-basically-satisfied': {
      if (!need(s.supervision === 'awaiting-callback')) return;
      bump(s, `ticket.callback-recorded:${action.slice('callback-'.length)}`, 'ticket.closed');
      Object.assign(s, { supervision: 'closed', metrics: 'closed', intakeClosed: true, assignment: s.assignment === null ? null : 'closed' });
      return;
    }
    case 'callback-unsatisfied':
      if (!need(s.supervision === 'awaiting-callback' && !s.resolvedOnCall)) return;
      bump(s, 'ticket.callback-recorded:unsatisfied', 'ticket.reopened', 'ticket.sla-started:sign-for');
      s.reopens += 1;
      Object.assign(s, { assignment: 'reopened', supervision: 'handling', metrics: 'reopened' });
      return;
  }
}

/**
 * Every outcome the record allows (at most 2^6 combinations of doubtful actions are explored;
 * more doubt than that on one ticket makes it unverifiable, which the caller reports).
 */
export function possibleOutcomes(t: TicketTruth): ExpectedOutcome[] {
  const onCall = t.script === 'on-call';
  const actions = t.actions.filter((a) => a.status === 'applied' || a.status === 'in-doubt');
  const doubtful = actions.filter((a) => a.status === 'in-doubt').length;
  if (doubtful > 6) return [];
  const outcomes: ExpectedOutcome[] = [];
  for (let mask = 0; mask < 1 << doubtful; mask++) {
    const s: State = {
      valid: true,
      applied: [],
      counts: {},
      sequence: [],
      assignment: null,
      supervision: null,
      metrics: 'none',
      intakeClosed: false,
      repeats: 0,
      reopens: 0,
      resolvedOnCall: false,
    };
    let bit = 0;
    for (const a of actions) {
      if (a.status === 'in-doubt') {
        const take = (mask >> bit++) & 1;
        if (!take) continue;
      }
      apply(s, a.type, onCall);
      if (!s.valid) break;
    }
    if (!s.valid) continue;
    const { valid: _valid, ...outcome } = s;
    outcomes.push(outcome);
  }
  return outcomes;
}
