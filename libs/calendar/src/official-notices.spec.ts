import { loadOfficialDays } from './official-days';
import { WorkingCalendar } from './working-calendar';

/**
 * The State Council's notices, transcribed by hand (国办发明电〔2024〕12号 for 2025,
 * 国办发明电〔2025〕7号 for 2026): every day off that is not a weekend day, and every weekend day
 * that is worked. The packaged data must agree day by day for the whole year.
 */
const NOTICES: Record<number, { off: [string, string][]; worked: string[] }> = {
  2025: {
    off: [
      ['01-01', '01-01'], // 元旦
      ['01-28', '02-04'], // 春节
      ['04-04', '04-06'], // 清明节
      ['05-01', '05-05'], // 劳动节
      ['05-31', '06-02'], // 端午节
      ['10-01', '10-08'], // 国庆节、中秋节
    ],
    worked: ['01-26', '02-08', '04-27', '09-28', '10-11'],
  },
  2026: {
    off: [
      ['01-01', '01-03'], // 元旦
      ['02-15', '02-23'], // 春节
      ['04-04', '04-06'], // 清明节
      ['05-01', '05-05'], // 劳动节
      ['06-19', '06-21'], // 端午节
      ['09-25', '09-27'], // 中秋节
      ['10-01', '10-07'], // 国庆节
    ],
    worked: ['01-04', '02-14', '02-28', '05-09', '09-20', '10-10'],
  },
};

const calendar = new WorkingCalendar(loadOfficialDays());
const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

function datesOf(year: number): string[] {
  const dates: string[] = [];
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) dates.push(new Date(t).toISOString().slice(0, 10));
  return dates;
}

describe.each([2025, 2026])('the %i notice', (year) => {
  it('matches the data day by day, and the year is confirmed', () => {
    const notice = NOTICES[year];
    const off = new Set<string>();
    for (const [first, last] of notice.off) {
      for (const date of datesOf(year)) if (date >= `${year}-${first}` && date <= `${year}-${last}`) off.add(date);
    }
    const worked = new Set(notice.worked.map((d) => `${year}-${d}`));
    for (const date of worked) expect([0, 6]).toContain(new Date(`${date}T00:00:00Z`).getUTCDay());
    const mismatches = datesOf(year).filter((date) => {
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
      const expected = worked.has(date) || (!off.has(date) && weekday !== 0 && weekday !== 6);
      return calendar.isWorkingDay(date) !== expected;
    });
    expect(mismatches).toEqual([]);
    expect(calendar.yearStatus(year)).toEqual({ year, confirmed: true, source: expect.stringContaining('国务院') });
    expect(calendar.specialDays(year).filter((d) => d.kind === 'make-up-workday').map((d) => d.date)).toEqual([...worked].sort());
  });
});

describe('fixed cases from the 2025 notice', () => {
  it('Spring Festival 2025 (28 Jan – 4 Feb), with Sunday 26 Jan and Saturday 8 Feb worked', () => {
    expect(calendar.isWorkingDay('2025-01-26')).toBe(true);
    // Monday 27 Jan 15:00 + 1 working day → Wednesday 5 Feb 15:00.
    expect(iso(calendar.addWorkingDays(at('2025-01-27T07:00:00Z'), 1).deadline)).toBe('2025-02-05T07:00:00.000Z');
    // Friday 7 Feb 10:00 + 1 → the make-up Saturday 8 Feb 10:00.
    expect(iso(calendar.addWorkingDays(at('2025-02-07T02:00:00Z'), 1).deadline)).toBe('2025-02-08T02:00:00.000Z');
  });

  it('National Day and Mid-Autumn 2025 (1–8 Oct), Sunday 28 Sep and Saturday 11 Oct worked', () => {
    // Tuesday 30 Sep 10:00 + 1 → Thursday 9 Oct 10:00.
    expect(iso(calendar.addWorkingDays(at('2025-09-30T02:00:00Z'), 1).deadline)).toBe('2025-10-09T02:00:00.000Z');
    // Saturday 27 Sep 10:00 → starts Sunday 28 Sep (调休) 09:00 → + 1 = Monday 29 Sep 09:00.
    expect(iso(calendar.addWorkingDays(at('2025-09-27T02:00:00Z'), 1).deadline)).toBe('2025-09-29T01:00:00.000Z');
    // Friday 10 Oct 16:00 + 3 working hours: 1.5 h that day, 1.5 h on Saturday 11 Oct → 10:30.
    expect(iso(calendar.addWorkingHours(at('2025-10-10T08:00:00Z'), 3).deadline)).toBe('2025-10-11T02:30:00.000Z');
  });

  it('Dragon Boat Festival 2025 (31 May – 2 Jun)', () => {
    expect(iso(calendar.addWorkingDays(at('2025-05-30T02:00:00Z'), 1).deadline)).toBe('2025-06-03T02:00:00.000Z');
  });
});

describe('fixed cases from the 2026 notice', () => {
  it('the working day before National Day 2026 is Wednesday 30 Sep; one working day back from 8 Oct lands there', () => {
    expect(iso(calendar.subtractWorkingDays(at('2026-10-08T02:00:00Z'), 1).deadline)).toBe('2026-09-30T02:00:00.000Z');
    // Wednesday 30 Sep 16:00 + 3 working hours → 1.5 h that day, then Thursday 8 Oct 10:30.
    expect(iso(calendar.addWorkingHours(at('2026-09-30T08:00:00Z'), 3).deadline)).toBe('2026-10-08T02:30:00.000Z');
    expect(calendar.workingDaysBetween(at('2026-09-30T02:00:00Z'), at('2026-10-08T02:00:00Z'))).toBe(1);
  });

  it('Mid-Autumn 2026 (25–27 Sep) and the make-up Sunday 20 Sep', () => {
    // Thursday 24 Sep 10:00 + 1 → Monday 28 Sep 10:00.
    expect(iso(calendar.addWorkingDays(at('2026-09-24T02:00:00Z'), 1).deadline)).toBe('2026-09-28T02:00:00.000Z');
    // Saturday 19 Sep 10:00 → starts Sunday 20 Sep (调休) 09:00 → Monday 21 Sep 09:00.
    expect(iso(calendar.addWorkingDays(at('2026-09-19T02:00:00Z'), 1).deadline)).toBe('2026-09-21T01:00:00.000Z');
  });

  it('a make-up Saturday counts working hours like any working day (10 Oct 2026)', () => {
    // Friday 9 Oct 17:00 + 1 working hour → 30 min that day, 30 min on Saturday 10 Oct → 09:30.
    expect(iso(calendar.addWorkingHours(at('2026-10-09T09:00:00Z'), 1).deadline)).toBe('2026-10-10T01:30:00.000Z');
    expect(calendar.workingMinutesBetween(at('2026-10-09T09:00:00Z'), at('2026-10-12T01:00:00Z'))).toBe(30 + 420);
  });

  it('across the 2026 Spring Festival (15–23 Feb) with Saturdays 14 and 28 Feb worked', () => {
    // Friday 13 Feb 16:30 + 2 working hours → Saturday 14 Feb 10:00.
    expect(iso(calendar.addWorkingHours(at('2026-02-13T08:30:00Z'), 2).deadline)).toBe('2026-02-14T02:00:00.000Z');
    // Saturday 14 Feb 16:00 + 3 working hours → Tuesday 24 Feb 10:30.
    expect(iso(calendar.addWorkingHours(at('2026-02-14T08:00:00Z'), 3).deadline)).toBe('2026-02-24T02:30:00.000Z');
    // Back across it: Tuesday 24 Feb 10:00 − 1 working day → Saturday 14 Feb 10:00.
    expect(iso(calendar.subtractWorkingDays(at('2026-02-24T02:00:00Z'), 1).deadline)).toBe('2026-02-14T02:00:00.000Z');
    // Friday 27 Feb 10:00 + 1 → the make-up Saturday 28 Feb.
    expect(iso(calendar.addWorkingDays(at('2026-02-27T02:00:00Z'), 1).deadline)).toBe('2026-02-28T02:00:00.000Z');
    // The whole festival holds no working time.
    expect(calendar.workingMinutesBetween(at('2026-02-14T09:30:00Z'), at('2026-02-24T01:00:00Z'))).toBe(0);
  });

  it('New Year 2026 (1–3 Jan) with Sunday 4 Jan worked', () => {
    expect(iso(calendar.addWorkingDays(at('2025-12-31T02:00:00Z'), 1).deadline)).toBe('2026-01-04T02:00:00.000Z');
  });
});

describe('years without a notice', () => {
  it('2027 is not in the data: reported unconfirmed, and so is late December 2026 (the 2027 notice may move it)', () => {
    expect(calendar.yearStatus(2027)).toEqual({ year: 2027, confirmed: false, source: expect.any(String) });
    // Thursday 24 Dec 2026 10:00 + 2 → Monday 28 Dec: settled by the 2026 notice alone.
    expect(calendar.addWorkingDays(at('2026-12-24T02:00:00Z'), 2)).toEqual({ deadline: at('2026-12-28T02:00:00Z'), confirmed: true });
    // + 3 → Tuesday 29 Dec: a New Year holiday set by the 2027 notice could still reach it.
    expect(calendar.addWorkingDays(at('2026-12-24T02:00:00Z'), 3).confirmed).toBe(false);
    expect(calendar.addWorkingHours(at('2027-03-01T02:00:00Z'), 1).confirmed).toBe(false);
    // Still computed by the weekday rule, never refused.
    expect(iso(calendar.addWorkingDays(at('2027-03-05T02:00:00Z'), 1).deadline)).toBe('2027-03-08T02:00:00.000Z');
  });
});
