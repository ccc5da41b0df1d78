import { loadOfficialDays, WorkingCalendar } from '@hotline/calendar';
import { createEvent, uuidv7 } from '@hotline/contracts';
import { callbackDeadline, ClockRule, planClockStart } from './clock-start';

const calendar = new WorkingCalendar(loadOfficialDays());
/** Shanghai wall-clock time → instant. */
const sh = (local: string) => new Date(`${local}+08:00`);
const iso = (d: Date) => d.toISOString();
const RULE: ClockRule = { version: 3, sign_for_amount: 1, sign_for_unit: 'working-days', reply_amount: 5, reply_unit: 'working-days', warning_fraction: 0.75 };

describe('the call-back deadline (回访时限)', () => {
  it('is 1 working day after the approval for a normal ticket, warned at 75 % of the office time', () => {
    const friday = callbackDeadline(calendar, sh('2026-11-27T10:00:00'), 'normal', 0.75);
    expect(friday.limit).toEqual({ amount: 1, unit: 'working-days' });
    expect(iso(friday.deadline)).toBe(iso(sh('2026-11-30T10:00:00'))); // over the weekend
    // 7 working hours a day: 75 % is 5 h 15 min of office time after Friday 10:00.
    expect(iso(friday.warningAt)).toBe(iso(sh('2026-11-27T16:45:00')));
    expect(friday.calendarConfirmed).toBe(true);
  });

  it('is the close of the same working day for an urgent ticket, or of the next one when approved after it', () => {
    const morning = callbackDeadline(calendar, sh('2026-11-23T10:00:00'), 'urgent', 0.75);
    expect(iso(morning.deadline)).toBe(iso(sh('2026-11-23T17:30:00')));
    expect(morning.limit).toEqual({ amount: 450, unit: 'minutes' }); // start + limit = deadline
    // 6 h of office time to 17:30 (the lunch break does not count): the warning 4 h 30 min of it in.
    expect(iso(morning.warningAt)).toBe(iso(sh('2026-11-23T16:00:00')));
    const friday = callbackDeadline(calendar, sh('2026-11-27T18:00:00'), 'urgent', 0.75);
    expect(iso(friday.deadline)).toBe(iso(sh('2026-11-30T17:30:00')));
    expect(iso(new Date(sh('2026-11-27T18:00:00').getTime() + friday.limit.amount * 60_000))).toBe(iso(friday.deadline));
  });

  it('is what a call-back clock started from an approval announces, whatever the policy’s department limits', () => {
    const approved = createEvent(
      'ticket.reply-reviewed',
      { approved: true, comment: '答复规范' },
      { ticketId: uuidv7(), occurredAt: sh('2026-11-23T10:00:00') },
    );
    const start = planClockStart(calendar, approved, 'callback', uuidv7(), RULE, 'urgent');
    expect(start.started.type).toBe('ticket.sla-started');
    expect(start.started.payload).toMatchObject({ clock: 'callback', limit: { amount: 450, unit: 'minutes' }, policyVersion: 3 });
    expect(iso(start.deadline)).toBe(iso(sh('2026-11-23T17:30:00')));
    expect(start.started.payload).not.toHaveProperty('returnBy');
  });
});
