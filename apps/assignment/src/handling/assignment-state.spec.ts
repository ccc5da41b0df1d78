import { ASSIGNMENT_STATUSES, HandlingAction, refusal } from './assignment-state';

describe('which actions each state allows', () => {
  const table: [HandlingAction, string[]][] = [
    ['dispatch', ['awaiting-dispatch']],
    ['accept', ['assigned', 'reopened']],
    ['reply', ['accepted']],
    ['return', ['assigned', 'accepted']],
    ['decide-return', ['returned']],
    ['transfer', ['assigned', 'accepted', 'reopened', 'returned']],
    ['request-extension', ['accepted']],
    ['request-pause', ['accepted']],
    ['note-co-handling', ['assigned', 'accepted', 'reopened']],
  ];

  it.each(table)('%s is allowed exactly in %j', (action, allowed) => {
    for (const status of ASSIGNMENT_STATUSES) {
      const why = refusal(action, status);
      if (allowed.includes(status)) expect(why).toBeNull();
      else expect(why).toMatch(new RegExp(`^status: cannot .* a ticket that is ${status}$`));
    }
  });

  it('allows nothing on a closed ticket', () => {
    for (const [action] of table) expect(refusal(action, 'closed')).not.toBeNull();
  });
});
