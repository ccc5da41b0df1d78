import { loadOfficialDays } from './official-days';
import { WorkingCalendar } from './working-calendar';

const calendar = new WorkingCalendar(loadOfficialDays());
const at = (iso: string) => new Date(iso);
const deadline = (iso: string, days: number) => calendar.addWorkingDays(at(iso), days).deadline.toISOString();

describe('WorkingCalendar (Asia/Shanghai, official notices)', () => {
  it('knows the 2026 National Day holiday and its make-up Saturday', () => {
    expect(calendar.isWorkingDay('2026-10-01')).toBe(false);
    expect(calendar.isWorkingDay('2026-10-07')).toBe(false);
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true); // Saturday, 调休
    expect(calendar.isWorkingDay('2026-10-11')).toBe(false); // ordinary Sunday
  });

  it('the working day before National Day: 1 working day runs across the whole holiday', () => {
    // Wednesday 30 Sep 2026, 10:00 Shanghai → Thursday 8 Oct, 10:00.
    expect(deadline('2026-09-30T02:00:00Z', 1)).toBe('2026-10-08T02:00:00.000Z');
  });

  it('a ticket received on a make-up Saturday counts that Saturday as a working day', () => {
    // Saturday 10 Oct 2026 (调休), 11:30 → Monday 12 Oct, 11:30.
    expect(deadline('2026-10-10T03:30:00Z', 1)).toBe('2026-10-12T03:30:00.000Z');
  });

  it('across the 2026 Spring Festival (15–23 Feb) with its make-up Saturdays', () => {
    // Friday 13 Feb 10:00 + 2 working days: Sat 14 Feb (调休) then Tue 24 Feb.
    expect(deadline('2026-02-13T02:00:00Z', 2)).toBe('2026-02-24T02:00:00.000Z');
  });

  it('moves a start on a day off or after hours to the next opening time', () => {
    // Sunday 22 Nov 2026 15:00 → starts Monday 09:00 → 1 working day = Tuesday 09:00.
    expect(deadline('2026-11-22T07:00:00Z', 1)).toBe('2026-11-24T01:00:00.000Z');
    // Friday 20 Nov 2026 20:00 → Monday 09:00 start → Tuesday 09:00.
    expect(deadline('2026-11-20T12:00:00Z', 1)).toBe('2026-11-24T01:00:00.000Z');
    // Before opening: Monday 07:00 → Monday 09:00 start → Tuesday 09:00.
    expect(deadline('2026-11-22T23:00:00Z', 1)).toBe('2026-11-24T01:00:00.000Z');
  });

  it('is monotonic: a later start never gives an earlier deadline', () => {
    let previous = 0;
    for (let t = Date.parse('2026-09-20T00:00:00Z'); t < Date.parse('2026-10-20T00:00:00Z'); t += 37 * 60_000) {
      const d = calendar.addWorkingDays(new Date(t), 3).deadline.getTime();
      expect(d).toBeGreaterThanOrEqual(previous);
      expect(d).toBeGreaterThan(t);
      previous = d;
    }
  });

  it('reports a year without an official notice as unconfirmed instead of guessing silently', () => {
    const result = calendar.addWorkingDays(at('2026-12-30T02:00:00Z'), 5);
    expect(result.confirmed).toBe(false);
    expect(calendar.addWorkingDays(at('2026-11-23T02:00:00Z'), 5).confirmed).toBe(true);
  });

  it('adds natural hours and minutes exactly', () => {
    expect(calendar.add(at('2026-10-01T02:00:00Z'), 2, 'hours').deadline.toISOString()).toBe('2026-10-01T04:00:00.000Z');
    expect(calendar.add(at('2026-10-01T02:00:00Z'), 90, 'minutes').deadline.toISOString()).toBe('2026-10-01T03:30:00.000Z');
  });
});
