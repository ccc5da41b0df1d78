/**
 * Where a department's work on a ticket stands. `awaiting-dispatch` is the dispatcher's queue,
 * `returned` waits for the dispatcher's decision on a 退单, `reopened` is 重办 after an unsatisfied call-back.
 */
export const ASSIGNMENT_STATUSES = [
  'awaiting-dispatch',
  'assigned',
  'accepted',
  'replied',
  'returned',
  'reopened',
  'closed',
] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

export type HandlingAction =
  | 'dispatch'
  | 'accept'
  | 'reply'
  | 'return'
  | 'decide-return'
  | 'transfer'
  | 'request-extension'
  | 'request-pause'
  | 'note-co-handling';

/** In which states each action makes sense; anything else is a 409. */
const ALLOWED: Record<HandlingAction, readonly AssignmentStatus[]> = {
  dispatch: ['awaiting-dispatch'],
  accept: ['assigned', 'reopened'],
  reply: ['accepted'],
  return: ['assigned', 'accepted'],
  'decide-return': ['returned'],
  transfer: ['assigned', 'accepted', 'reopened', 'returned'],
  'request-extension': ['accepted'],
  'request-pause': ['accepted'],
  'note-co-handling': ['assigned', 'accepted', 'reopened'],
};

const IN_WORDS: Record<HandlingAction, string> = {
  dispatch: 'dispatch',
  accept: 'sign for',
  reply: 'reply to',
  return: 'return',
  'decide-return': 'decide the return of',
  transfer: 'transfer',
  'request-extension': 'ask for more time on',
  'request-pause': 'ask to pause',
  'note-co-handling': 'add a co-handling note to',
};

/** Why `action` is not allowed in `status`, or null when it is. */
export function refusal(action: HandlingAction, status: AssignmentStatus): string | null {
  return ALLOWED[action].includes(status) ? null : `status: cannot ${IN_WORDS[action]} a ticket that is ${status}`;
}
