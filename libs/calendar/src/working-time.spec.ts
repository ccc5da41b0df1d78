import { DEFAULT_OFFICE_HOURS, formatOfficeHours, parseOfficeHours, validateOfficeHours } from './office-hours';
import { loadOfficialDays } from './official-days';
import { isIsoDate, WorkingCalendar } from './working-calendar';

const official = loadOfficialDays();
const calendar = new WorkingCalendar(official);
/** Shanghai wall-clock time → instant. */
const sh = (local: string) => new Date(`${local}+08:00`);
const iso = (d: Date) => d.toISOString();

describe('office hours', () => {
  it('default to 09:00–12:00 and 13:30–17:30: seven working hours a day', () => {
    expect(formatOfficeHours(DEFAULT_OFFICE_HOURS)).toBe('09:00-12:00,13:30-17:30');
    expect(calendar.workingDayMinutes).toBe(420);
  });

  it('parse and refuse what cannot be office hours', () => {
    expect(parseOfficeHours(' 08:30-12:00 , 14:00-18:00 ')).toEqual({
      sessions: [
        { opensAt: 510, closesAt: 720 },
        { opensAt: 840, closesAt: 1080 },
      ],
    });
    expect(() => parseOfficeHours('9-12')).toThrow(/must look like 09:00-12:00/);
    expect(() => parseOfficeHours('')).toThrow(/at least one session/);
    expect(() => parseOfficeHours('12:00-09:00')).toThrow(/open before it closes/);
    expect(() => parseOfficeHours('09:00-12:00,11:00-17:00')).toThrow(/after the previous session/);
    expect(() => parseOfficeHours('09:00-12:00,12:00-17:00')).toThrow(/after the previous session/);
    expect(() => validateOfficeHours({ sessions: [{ opensAt: 0, closesAt: 1441 }] })).toThrow(/within one day/);
  });

  it('are configurable per calendar', () => {
    const long = new WorkingCalendar(official, new Map(), parseOfficeHours('08:00-20:00'));
    expect(long.workingDayMinutes).toBe(720);
    expect(iso(long.addWorkingHours(sh('2026-11-23T19:00:00'), 2).deadline)).toBe(iso(sh('2026-11-24T09:00:00')));
  });
});

describe('working days with a lunch break', () => {
  it('a start in the lunch break moves to 13:30; after 17:30 to the next morning', () => {
    expect(calendar.addWorkingDays(sh('2026-11-23T12:45:00'), 1).deadline).toEqual(sh('2026-11-24T13:30:00'));
    expect(calendar.addWorkingDays(sh('2026-11-23T17:30:00'), 1).deadline).toEqual(sh('2026-11-25T09:00:00'));
    expect(calendar.addWorkingDays(sh('2026-11-23T17:29:59.250'), 1).deadline).toEqual(sh('2026-11-24T17:29:59.250'));
    expect(calendar.addWorkingDays(sh('2026-11-23T12:45:00'), 0).deadline).toEqual(sh('2026-11-23T13:30:00'));
  });

  it('counts back: subtract undoes add inside office hours; negative add is subtract', () => {
    const start = sh('2026-11-20T11:15:30.500');
    const deadline = calendar.addWorkingDays(start, 5).deadline;
    expect(deadline).toEqual(sh('2026-11-27T11:15:30.500'));
    expect(calendar.subtractWorkingDays(deadline, 5).deadline).toEqual(start);
    expect(calendar.addWorkingDays(deadline, -5).deadline).toEqual(start);
    // From outside office hours: the latest instant with N days of office time up to it.
    expect(calendar.subtractWorkingDays(sh('2026-11-24T12:30:00'), 1).deadline).toEqual(sh('2026-11-23T13:30:00'));
    expect(calendar.subtractWorkingDays(sh('2026-11-24T20:00:00'), 1).deadline).toEqual(sh('2026-11-24T09:00:00'));
    expect(() => calendar.subtractWorkingDays(start, -1)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays(start, 1.5)).toThrow(RangeError);
  });

  it('measures elapsed working days as office time', () => {
    expect(calendar.workingDaysBetween(sh('2026-11-23T09:00:00'), sh('2026-11-24T09:00:00'))).toBe(1);
    expect(calendar.workingDaysBetween(sh('2026-11-23T09:00:00'), sh('2026-11-23T17:30:00'))).toBe(1);
    expect(calendar.workingDaysBetween(sh('2026-11-23T13:30:00'), sh('2026-11-23T17:00:00'))).toBe(0.5);
    expect(calendar.workingDaysBetween(sh('2026-11-24T09:00:00'), sh('2026-11-23T09:00:00'))).toBe(-1);
  });
});

describe('working hours and minutes', () => {
  it('count only office time, across lunch, nights and weekends', () => {
    const add = (local: string, hours: number) => calendar.addWorkingHours(sh(local), hours).deadline;
    expect(add('2026-11-23T11:00:00', 2)).toEqual(sh('2026-11-23T14:30:00'));
    expect(add('2026-11-23T15:30:00', 2)).toEqual(sh('2026-11-23T17:30:00')); // the closing time itself
    expect(add('2026-11-20T16:00:00', 2)).toEqual(sh('2026-11-23T09:30:00')); // Friday → Monday
    expect(add('2026-11-22T10:00:00', 1.5)).toEqual(sh('2026-11-23T10:30:00')); // from a Sunday
    expect(add('2026-11-23T12:10:00', 0)).toEqual(sh('2026-11-23T13:30:00'));
    expect(calendar.addWorkingMinutes(sh('2026-11-23T11:59:00'), 2).deadline).toEqual(sh('2026-11-23T13:31:00'));
    expect(calendar.add(sh('2026-11-23T16:00:00'), 24, 'working-hours').deadline).toEqual(sh('2026-11-27T10:30:00'));
  });

  it('count back to the latest instant with that much office time after it', () => {
    expect(calendar.addWorkingHours(sh('2026-11-23T14:30:00'), -2).deadline).toEqual(sh('2026-11-23T11:00:00'));
    expect(calendar.addWorkingHours(sh('2026-11-23T15:30:00'), -2).deadline).toEqual(sh('2026-11-23T13:30:00'));
    expect(calendar.addWorkingMinutes(sh('2026-11-23T09:30:00'), -60).deadline).toEqual(sh('2026-11-20T17:00:00'));
  });

  it('measures elapsed office time, signed', () => {
    expect(calendar.workingMinutesBetween(sh('2026-11-23T11:00:00'), sh('2026-11-23T14:00:00'))).toBe(90);
    expect(calendar.workingMinutesBetween(sh('2026-11-23T14:00:00'), sh('2026-11-23T11:00:00'))).toBe(-90);
    expect(calendar.workingMinutesBetween(sh('2026-11-21T00:00:00'), sh('2026-11-22T23:59:00'))).toBe(0);
    expect(calendar.workingMinutesBetween(sh('2026-11-23T09:00:00'), sh('2026-11-23T09:00:00.030'))).toBe(0.0005);
  });

  it('refuses what is not a number or a date', () => {
    expect(() => calendar.addWorkingHours(sh('2026-11-23T11:00:00'), Number.NaN)).toThrow(RangeError);
    expect(() => calendar.addWorkingMinutes(new Date('nonsense'), 1)).toThrow(/valid Date/);
    expect(() => calendar.add(sh('2026-11-23T11:00:00'), -1, 'hours')).toThrow(RangeError);
    expect(() => calendar.add(sh('2026-11-23T11:00:00'), 1, 'weeks' as never)).toThrow(/unknown unit/);
  });
});

describe('end of the working day (当日)', () => {
  it('is that day’s closing time from the morning, the lunch break or the afternoon', () => {
    for (const at of ['2026-11-23T08:00:00', '2026-11-23T09:00:00', '2026-11-23T12:30:00', '2026-11-23T17:29:59']) {
      expect(iso(calendar.endOfWorkingDay(sh(at)).deadline)).toBe(iso(sh('2026-11-23T17:30:00')));
    }
  });

  it('is the next working day’s closing time after closing time, and over a weekend or a holiday', () => {
    expect(iso(calendar.endOfWorkingDay(sh('2026-11-23T17:30:00')).deadline)).toBe(iso(sh('2026-11-24T17:30:00')));
    expect(iso(calendar.endOfWorkingDay(sh('2026-11-27T18:00:00')).deadline)).toBe(iso(sh('2026-11-30T17:30:00')));
    // 国庆节 2026: 1–7 October off; Saturday 10 October a make-up working day (调休).
    expect(iso(calendar.endOfWorkingDay(sh('2026-10-01T10:00:00')).deadline)).toBe(iso(sh('2026-10-08T17:30:00')));
    expect(iso(calendar.endOfWorkingDay(sh('2026-10-09T18:00:00')).deadline)).toBe(iso(sh('2026-10-10T17:30:00')));
  });

  it('follows the calendar’s own office hours', () => {
    const long = new WorkingCalendar(official, new Map(), parseOfficeHours('08:00-20:00'));
    expect(iso(long.endOfWorkingDay(sh('2026-11-23T19:00:00')).deadline)).toBe(iso(sh('2026-11-23T20:00:00')));
  });
});

describe('warning instant', () => {
  it('is the fraction of the office time for working units', () => {
    const start = sh('2026-11-23T09:00:00');
    const deadline = calendar.addWorkingDays(start, 1).deadline; // Tuesday 09:00
    // 75 % of 420 min = 315 min: 180 in the morning, 135 in the afternoon → 15:45.
    expect(calendar.warningInstant(start, deadline, 0.75)).toEqual(sh('2026-11-23T15:45:00'));
    expect(calendar.warningInstant(start, deadline, 1)).toEqual(deadline);
    expect(calendar.warningInstant(sh('2026-11-23T07:00:00'), deadline, 0)).toEqual(start);
  });

  it('never falls in a holiday: 75 % of 2 working days from the eve of National Day 2026', () => {
    const start = sh('2026-09-30T10:00:00');
    const { deadline, warningAt } = calendar.deadlineWithWarning(start, 2, 'working-days', 0.75);
    expect(deadline).toEqual(sh('2026-10-09T10:00:00'));
    // 630 working min: 360 on 30 Sep (10:00–17:30 less lunch), 270 on 8 Oct → 15:00.
    expect(warningAt).toEqual(sh('2026-10-08T15:00:00'));
    // The natural fraction would land on 7 Oct, a holiday.
    const natural = new Date(start.getTime() + 0.75 * (deadline.getTime() - start.getTime()));
    expect(calendar.isWorkingDay(natural.toISOString().slice(0, 10))).toBe(false);
  });

  it('is the natural fraction for natural units', () => {
    const start = sh('2026-10-01T10:00:00');
    const result = calendar.deadlineWithWarning(start, 2, 'hours', 0.75);
    expect(result).toEqual({ deadline: sh('2026-10-01T12:00:00'), warningAt: sh('2026-10-01T11:30:00'), confirmed: true });
    expect(() => calendar.warningInstant(start, result.deadline, 1.2)).toThrow(RangeError);
    expect(() => calendar.warningInstant(result.deadline, start, 0.5)).toThrow(RangeError);
  });
});

describe('overrides', () => {
  it('an extra local holiday pushes a deadline by a day; a moved make-up day moves the work', () => {
    const withHoliday = WorkingCalendar.fromOverrides(official, [
      { date: '2026-11-23', kind: 'holiday', name: '地方假日', reason: '市政府通知' },
    ]);
    const friday = sh('2026-11-20T10:00:00');
    expect(calendar.addWorkingDays(friday, 1).deadline).toEqual(sh('2026-11-23T10:00:00'));
    expect(withHoliday.addWorkingDays(friday, 1).deadline).toEqual(sh('2026-11-24T10:00:00'));

    // Saturday 10 Oct 2026 (调休) is cancelled and Sunday 11 Oct worked instead.
    const moved = WorkingCalendar.fromOverrides(official, [
      { date: '2026-10-10', kind: 'holiday', name: '国庆节', reason: '调休改至11日' },
      { date: '2026-10-11', kind: 'make-up-workday', name: '国庆节', reason: '调休改至11日' },
    ]);
    expect(moved.addWorkingDays(sh('2026-10-09T10:00:00'), 1).deadline).toEqual(sh('2026-10-11T10:00:00'));
    expect(moved.specialDays(2026).filter((d) => d.date >= '2026-10-10' && d.date <= '2026-10-11')).toEqual([
      { date: '2026-10-10', kind: 'holiday', name: '国庆节', reason: '调休改至11日', source: 'override' },
      { date: '2026-10-11', kind: 'make-up-workday', name: '国庆节', reason: '调休改至11日', source: 'override' },
    ]);
    expect(calendar.specialDays(2026).find((d) => d.date === '2026-10-10')).toEqual({
      date: '2026-10-10',
      kind: 'make-up-workday',
      name: '国庆节',
      source: 'official',
    });
  });

  it('ignores inactive overrides and refuses bad ones', () => {
    const inactive = WorkingCalendar.fromOverrides(official, [
      { date: '2026-11-23', kind: 'holiday', name: '地方假日', active: false },
    ]);
    expect(inactive.isWorkingDay('2026-11-23')).toBe(true);
    expect(() => WorkingCalendar.fromOverrides(official, [{ date: '2026-02-30', kind: 'holiday', name: 'x' }])).toThrow(/YYYY-MM-DD/);
    expect(() => WorkingCalendar.fromOverrides(official, [{ date: '2026-02-03', kind: 'day-off' as never, name: 'x' }])).toThrow(/kind/);
    expect(() =>
      WorkingCalendar.fromOverrides(official, [
        { date: '2026-02-03', kind: 'holiday', name: 'x' },
        { date: '2026-02-03', kind: 'make-up-workday', name: 'y' },
      ]),
    ).toThrow(/twice/);
  });

  it('do not confirm a year the official data does not cover', () => {
    const cal = WorkingCalendar.fromOverrides(official, [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }]);
    expect(cal.yearStatus(2027).confirmed).toBe(false);
    expect(cal.isWorkingDay('2027-01-01')).toBe(false);
  });
});

describe('a live calendar', () => {
  it('answers with whichever calendar is current at each call', () => {
    let current = calendar;
    const live = WorkingCalendar.live(() => current);
    const friday = sh('2026-11-20T10:00:00');
    expect(live.addWorkingDays(friday, 1).deadline).toEqual(sh('2026-11-23T10:00:00'));
    current = WorkingCalendar.fromOverrides(official, [{ date: '2026-11-23', kind: 'holiday', name: '地方假日' }]);
    expect(live.addWorkingDays(friday, 1).deadline).toEqual(sh('2026-11-24T10:00:00'));
    expect(live.yearStatus(2026)).toEqual(calendar.yearStatus(2026));
    expect(live).toBeInstanceOf(WorkingCalendar);
  });
});

describe('isIsoDate', () => {
  it('accepts real dates only', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-1-05')).toBe(false);
  });
});
