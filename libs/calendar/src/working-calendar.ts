import { DEFAULT_OFFICE_HOURS, OfficeHours, validateOfficeHours } from './office-hours';
import { OfficialDays, SPECIAL_DAY_KINDS, SpecialDay, SpecialDayKind } from './official-days';

const SHANGHAI_OFFSET_MS = 8 * 3600_000; // Asia/Shanghai has no daylight saving time
const DAY_MS = 24 * 3600_000;
const MINUTE_MS = 60_000;
const HOUR_MS = 3600_000;

/**
 * The New Year holiday can start in late December and is set by the *next* year's notice
 * (30–31 Dec 2018 off and Saturday 29 Dec 2018 worked, by the 2019 notice). A date from this
 * day of December on is only certain once the next year is confirmed too.
 */
const NEXT_NOTICE_REACHES_BACK_TO = '12-29';

export const DURATION_UNITS = ['working-days', 'working-hours', 'hours', 'minutes'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

/** Units counted on the office's working time (the others are natural time). */
export function isWorkingTimeUnit(unit: DurationUnit): unit is 'working-days' | 'working-hours' {
  return unit === 'working-days' || unit === 'working-hours';
}

export interface DeadlineResult {
  deadline: Date;
  /** False when the arithmetic touched a date whose year has no official notice in the data. */
  confirmed: boolean;
}

export interface DeadlineWithWarning extends DeadlineResult {
  /** The instant at which the warning fraction of the allowed time has elapsed. */
  warningAt: Date;
}

/** An administrator's change to the official calendar: an extra local holiday, a moved make-up day… */
export interface CalendarOverride {
  date: string; // YYYY-MM-DD, Asia/Shanghai
  kind: SpecialDayKind;
  name: string;
  reason?: string;
  /** Inactive overrides are kept for the record and ignored by the arithmetic. Default true. */
  active?: boolean;
}

/** A day that is not what its weekday says, as the calendar applies it, with where that comes from. */
export interface CalendarDay extends SpecialDay {
  source: 'official' | 'override';
  reason?: string;
}

export interface YearStatus {
  year: number;
  /** True when the data holds the State Council's notice for the year. */
  confirmed: boolean;
  source: string;
}

/** About 55 years of days: far more than any deadline reaches, small enough to keep. */
const DAY_CACHE_LIMIT = 20_000;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `date` is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(date: string): boolean {
  if (typeof date !== 'string' || !ISO_DATE.test(date)) return false;
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}

function isoDateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Local (Asia/Shanghai) milliseconds since the epoch's local midnight. */
function toLocal(instant: Date): number {
  const t = instant instanceof Date ? instant.getTime() : NaN;
  if (!Number.isFinite(t)) throw new RangeError('instant must be a valid Date');
  return t + SHANGHAI_OFFSET_MS;
}

function fromLocal(local: number): Date {
  return new Date(local - SHANGHAI_OFFSET_MS);
}

function finite(value: number, what: string): number {
  if (!Number.isFinite(value)) throw new RangeError(`${what} must be a finite number`);
  return value;
}

/**
 * One immutable state of the calendar (official days, overrides, office hours) and all the
 * arithmetic on it. Local time throughout: "local ms" are UTC ms plus eight hours, so that
 * `floor(local / DAY_MS)` is the Shanghai day.
 */
class CalendarSnapshot {
  /** Sessions as [open, close) in ms after local midnight. */
  private readonly sessions: readonly { open: number; close: number }[];
  readonly workingDayMs: number;
  private readonly dayCache = new Map<number, boolean>();

  constructor(
    readonly official: OfficialDays,
    readonly overrides: ReadonlyMap<string, SpecialDay & { reason?: string }>,
    readonly hours: OfficeHours,
  ) {
    validateOfficeHours(hours);
    this.sessions = hours.sessions.map((s) => ({ open: s.opensAt * MINUTE_MS, close: s.closesAt * MINUTE_MS }));
    this.workingDayMs = this.sessions.reduce((sum, s) => sum + s.close - s.open, 0);
  }

  // ---- days -------------------------------------------------------------------------------

  isWorkingDate(date: string): boolean {
    const special = this.overrides.get(date) ?? this.official.days.get(date);
    if (special) return special.kind === 'make-up-workday';
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /** Working or not, by local day number; remembered (a bounded cache: the state never changes). */
  private isWorkingDay(day: number): boolean {
    let working = this.dayCache.get(day);
    if (working === undefined) {
      if (this.dayCache.size >= DAY_CACHE_LIMIT) this.dayCache.clear();
      working = this.isWorkingDate(isoDateOfDay(day));
      this.dayCache.set(day, working);
    }
    return working;
  }

  private nextWorkingDay(day: number): number {
    let next = day + 1;
    while (!this.isWorkingDay(next)) next += 1;
    return next;
  }

  private previousWorkingDay(day: number): number {
    let previous = day - 1;
    while (!this.isWorkingDay(previous)) previous -= 1;
    return previous;
  }

  isConfirmedYear(year: number): boolean {
    return this.official.confirmedYears.has(year);
  }

  /** Whether every date between two local instants (inclusive) is settled by the data. */
  confirmedBetween(localA: number, localB: number): boolean {
    const first = isoDateOfDay(Math.floor(Math.min(localA, localB) / DAY_MS));
    const last = isoDateOfDay(Math.floor(Math.max(localA, localB) / DAY_MS));
    const lastYear = Number(last.slice(0, 4));
    for (let year = Number(first.slice(0, 4)); year <= lastYear; year += 1) {
      if (!this.isConfirmedYear(year)) return false;
    }
    return last.slice(5) < NEXT_NOTICE_REACHES_BACK_TO || this.isConfirmedYear(lastYear + 1);
  }

  yearStatus(year: number): YearStatus {
    return { year, confirmed: this.isConfirmedYear(year), source: this.official.source };
  }

  /** The year's special days as applied: official ones unless overridden, plus active overrides. */
  specialDays(year: number): CalendarDay[] {
    const prefix = `${String(year).padStart(4, '0')}-`;
    const days = new Map<string, CalendarDay>();
    for (const [date, day] of this.official.days) {
      if (date.startsWith(prefix)) days.set(date, { ...day, source: 'official' });
    }
    for (const [date, day] of this.overrides) {
      if (date.startsWith(prefix)) days.set(date, { ...day, source: 'override' });
    }
    return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
  }

  // ---- instants ---------------------------------------------------------------------------

  /** Whether a local instant lies within a session [open, close) of a working day. */
  isOfficeTime(local: number): boolean {
    const day = Math.floor(local / DAY_MS);
    const inDay = local - day * DAY_MS;
    return this.isWorkingDay(day) && this.sessions.some((s) => inDay >= s.open && inDay < s.close);
  }

  /** The first instant ≥ local inside a session [open, close): where working time starts counting. */
  nextOfficeTime(local: number): number {
    for (let day = Math.floor(local / DAY_MS); ; day += 1) {
      if (!this.isWorkingDay(day)) continue;
      for (const s of this.sessions) {
        if (local < day * DAY_MS + s.close) return Math.max(local, day * DAY_MS + s.open);
      }
    }
  }

  /** The close of the last session of the working day on which working time next runs from `local`. */
  endOfWorkingDay(local: number): number {
    const day = Math.floor(this.nextOfficeTime(local) / DAY_MS);
    return day * DAY_MS + this.sessions[this.sessions.length - 1].close;
  }

  /** Working milliseconds in [a, b]; negative when b is before a. */
  workingMsBetween(a: number, b: number): number {
    if (b < a) return -this.workingMsBetween(b, a);
    let sum = 0;
    const lastDay = Math.floor(b / DAY_MS);
    for (let day = Math.floor(a / DAY_MS); day <= lastDay; day += 1) {
      if (!this.isWorkingDay(day)) continue;
      for (const s of this.sessions) {
        const lo = Math.max(a, day * DAY_MS + s.open);
        const hi = Math.min(b, day * DAY_MS + s.close);
        if (hi > lo) sum += hi - lo;
      }
    }
    return sum;
  }

  /**
   * Signed working-time arithmetic. Forward (ms > 0): the earliest instant by which `ms` of
   * working time have elapsed since `local` — inside (open, close] of a session. Backward
   * (ms < 0): the latest instant from which `-ms` of working time elapse up to `local` — inside
   * [open, close). Zero: `local` moved forward to office time.
   */
  addWorkingMs(local: number, ms: number): number {
    if (ms === 0) return this.nextOfficeTime(local);
    let remaining = Math.abs(ms);
    if (ms > 0) {
      for (let day = Math.floor(local / DAY_MS); ; day += 1) {
        if (!this.isWorkingDay(day)) continue;
        for (const s of this.sessions) {
          const from = Math.max(local, day * DAY_MS + s.open);
          const close = day * DAY_MS + s.close;
          if (from >= close) continue;
          if (remaining <= close - from) return from + remaining;
          remaining -= close - from;
        }
      }
    }
    for (let day = Math.floor(local / DAY_MS); ; day -= 1) {
      if (!this.isWorkingDay(day)) continue;
      for (let i = this.sessions.length - 1; i >= 0; i -= 1) {
        const open = day * DAY_MS + this.sessions[i].open;
        const to = Math.min(local, day * DAY_MS + this.sessions[i].close);
        if (to <= open) continue;
        if (remaining <= to - open) return to - remaining;
        remaining -= to - open;
      }
    }
  }

  /**
   * N working days after an instant: the start moves to office time (a start outside office
   * hours, in the lunch break or on a day off moves to the next opening), then the deadline is
   * the same wall-clock time N working days later.
   */
  addWorkingDays(local: number, days: number): number {
    const start = this.nextOfficeTime(local);
    let day = Math.floor(start / DAY_MS);
    const inDay = start - day * DAY_MS;
    for (let i = 0; i < days; i += 1) day = this.nextWorkingDay(day);
    return day * DAY_MS + inDay;
  }

  /**
   * N working days before an instant: the latest instant from which N working days of working
   * time elapse up to it. Inside office hours that is the same wall-clock time N working days
   * earlier, so it undoes addWorkingDays for every start inside office hours.
   */
  subtractWorkingDays(local: number, days: number): number {
    return days === 0 ? this.nextOfficeTime(local) : this.addWorkingMs(local, -days * this.workingDayMs);
  }
}

/**
 * 工作日 arithmetic on the official Chinese calendar, in Asia/Shanghai, with office hours (by
 * default 09:00–12:00 and 13:30–17:30) and administrators' overrides.
 *
 * - Working days count the official notices: weekends that are make-up working days (调休)
 *   count, public holidays do not; an override (an extra local holiday, a moved make-up day)
 *   takes precedence over the official day and the weekday rule.
 * - "N working days after an instant": a start outside office hours, in the lunch break or on a
 *   day off moves to the next opening; the deadline is the same wall-clock time N working days
 *   later (so it is always inside office hours on a working day).
 * - Working hours and minutes count only office time; a deadline is the earliest instant by
 *   which that much office time has elapsed (it may be a closing time: 2 working hours from
 *   15:30 is 17:30 the same day).
 * - A result whose dates reach a year without an official notice is flagged `confirmed: false`,
 *   never guessed silently (and late December waits for the next year's notice too).
 *
 * Every method reads one state of the calendar for its whole computation; a calendar made with
 * `WorkingCalendar.live()` reads the state of whatever calendar its source returns at the call.
 */
export class WorkingCalendar {
  private snapshot: () => CalendarSnapshot;

  constructor(
    official: OfficialDays,
    overrides: ReadonlyMap<string, SpecialDay & { reason?: string }> = new Map(),
    hours: OfficeHours = DEFAULT_OFFICE_HOURS,
  ) {
    const state = new CalendarSnapshot(official, overrides, hours);
    this.snapshot = () => state;
  }

  /**
   * The official days with administrators' overrides (inactive ones ignored). Refuses a date
   * that is not a real YYYY-MM-DD, an unknown kind, or two active overrides for one date.
   */
  static fromOverrides(
    official: OfficialDays,
    overrides: readonly CalendarOverride[] = [],
    hours: OfficeHours = DEFAULT_OFFICE_HOURS,
  ): WorkingCalendar {
    const map = new Map<string, SpecialDay & { reason?: string }>();
    for (const o of overrides) {
      if (o.active === false) continue;
      if (!isIsoDate(o.date)) throw new RangeError(`override date "${o.date}" is not a YYYY-MM-DD date`);
      if (!(SPECIAL_DAY_KINDS as readonly string[]).includes(o.kind)) {
        throw new RangeError(`override ${o.date}: kind must be one of ${SPECIAL_DAY_KINDS.join(', ')}`);
      }
      if (map.has(o.date)) throw new RangeError(`override ${o.date} is given twice`);
      map.set(o.date, { date: o.date, kind: o.kind, name: o.name, ...(o.reason ? { reason: o.reason } : {}) });
    }
    return new WorkingCalendar(official, map, hours);
  }

  /**
   * A calendar that answers every call with the calendar `current()` returns at that moment:
   * inject it once, swap the calendar behind it when the overrides change.
   */
  static live(current: () => WorkingCalendar): WorkingCalendar {
    return WorkingCalendar.over(() => current().snapshot());
  }

  private static over(snapshot: () => CalendarSnapshot): WorkingCalendar {
    const calendar = new WorkingCalendar({ confirmedYears: new Set(), days: new Map(), source: '' });
    calendar.snapshot = snapshot;
    return calendar;
  }

  get officeHours(): OfficeHours {
    return this.snapshot().hours;
  }

  /** Length of one working day's office time, in minutes (420 with the default hours). */
  get workingDayMinutes(): number {
    return this.snapshot().workingDayMs / MINUTE_MS;
  }

  get source(): string {
    return this.snapshot().official.source;
  }

  isConfirmedYear(year: number): boolean {
    return this.snapshot().isConfirmedYear(year);
  }

  /** `{year, confirmed, source}`: whether the data holds the State Council's notice for the year. */
  yearStatus(year: number): YearStatus {
    return this.snapshot().yearStatus(year);
  }

  /** The year's holidays and make-up working days as applied, each with its source, by date. */
  specialDays(year: number): CalendarDay[] {
    return this.snapshot().specialDays(year);
  }

  /** Whether a local date (YYYY-MM-DD) is a working day. */
  isWorkingDay(date: string): boolean {
    return this.snapshot().isWorkingDate(date);
  }

  /** Whether an instant lies inside office hours [open, close) of a working day. */
  isOfficeTime(instant: Date): boolean {
    return this.snapshot().isOfficeTime(toLocal(instant));
  }

  /** The instant itself inside office hours, otherwise the next opening: where working time starts. */
  nextOfficeTime(instant: Date): Date {
    return fromLocal(this.snapshot().nextOfficeTime(toLocal(instant)));
  }

  /** A whole, non-negative amount in any unit (the policy arithmetic of the SLA rules). */
  add(from: Date, amount: number, unit: DurationUnit): DeadlineResult {
    if (!Number.isInteger(amount) || amount < 0) throw new RangeError('amount must be a whole number ≥ 0');
    switch (unit) {
      case 'hours':
        return { deadline: new Date(from.getTime() + amount * HOUR_MS), confirmed: true };
      case 'minutes':
        return { deadline: new Date(from.getTime() + amount * MINUTE_MS), confirmed: true };
      case 'working-hours':
        return this.addWorkingHours(from, amount);
      case 'working-days':
        return this.addWorkingDays(from, amount);
      default:
        throw new RangeError(`unknown unit "${String(unit)}"; expected one of ${DURATION_UNITS.join(', ')}`);
    }
  }

  /**
   * The deadline of `amount` `unit` from `from`, and the instant at which `warningFraction` of
   * that allowed time has elapsed (working time for working units, natural time otherwise).
   */
  deadlineWithWarning(from: Date, amount: number, unit: DurationUnit, warningFraction: number): DeadlineWithWarning {
    const s = this.snapshot();
    const same = WorkingCalendar.over(() => s); // one state for both answers
    const result = same.add(from, amount, unit);
    return { ...result, warningAt: same.warningInstant(from, result.deadline, warningFraction, unit) };
  }

  /**
   * 当日 — the close of office hours on the working day of `from`: that day's last session's end
   * when `from` is inside or before it, the next working day's otherwise (after closing time, on a
   * day off). What "the same day" allows of a step that must be done within the working day.
   */
  endOfWorkingDay(from: Date): DeadlineResult {
    const s = this.snapshot();
    const local = toLocal(from);
    const deadline = s.endOfWorkingDay(local);
    return { deadline: fromLocal(deadline), confirmed: s.confirmedBetween(local, deadline) };
  }

  /**
   * N working days after an instant (see the class comment); negative N counts back, as
   * subtractWorkingDays does.
   */
  addWorkingDays(from: Date, days: number): DeadlineResult {
    if (!Number.isInteger(days)) throw new RangeError('days must be a whole number');
    if (days < 0) return this.subtractWorkingDays(from, -days);
    const s = this.snapshot();
    const local = toLocal(from);
    const deadline = s.addWorkingDays(local, days);
    return { deadline: fromLocal(deadline), confirmed: s.confirmedBetween(local, deadline) };
  }

  /**
   * N working days before an instant: the latest instant from which N working days of office
   * time elapse up to `from`. For `from` inside office hours it is the same wall-clock time N
   * working days earlier; `subtractWorkingDays(addWorkingDays(s, N), N)` is `s` for every `s`
   * inside office hours, and `nextOfficeTime(s)` for any other `s`.
   */
  subtractWorkingDays(from: Date, days: number): DeadlineResult {
    if (!Number.isInteger(days) || days < 0) throw new RangeError('days must be a whole number ≥ 0');
    const s = this.snapshot();
    const local = toLocal(from);
    const result = s.subtractWorkingDays(local, days);
    return { deadline: fromLocal(result), confirmed: s.confirmedBetween(result, local) };
  }

  /** Signed working hours (fractions allowed, kept to the millisecond); see addWorkingMinutes. */
  addWorkingHours(from: Date, hours: number): DeadlineResult {
    return this.addWorkingMs(from, Math.round(finite(hours, 'hours') * HOUR_MS));
  }

  /**
   * Signed working minutes. Forward: the earliest instant by which that much office time has
   * elapsed since `from` (inside (open, close] of a session on a working day). Backward: the
   * latest instant from which that much office time elapses up to `from`. Zero: `from` moved to
   * office time. `workingMinutesBetween(from, addWorkingMinutes(from, m).deadline)` is `m`.
   */
  addWorkingMinutes(from: Date, minutes: number): DeadlineResult {
    return this.addWorkingMs(from, Math.round(finite(minutes, 'minutes') * MINUTE_MS));
  }

  /** Office time between two instants, in minutes (fractional to the millisecond; negative when b < a). */
  workingMinutesBetween(a: Date, b: Date): number {
    return this.snapshot().workingMsBetween(toLocal(a), toLocal(b)) / MINUTE_MS;
  }

  /** Office time between two instants, in working days (fractional: one day is one day's office hours). */
  workingDaysBetween(a: Date, b: Date): number {
    const s = this.snapshot();
    return s.workingMsBetween(toLocal(a), toLocal(b)) / s.workingDayMs;
  }

  /**
   * The instant at which `fraction` of the allowed time between `start` and `deadline` has
   * elapsed. For working units the time is office time, so the warning never falls in a holiday
   * or at night (it is the earliest such instant; fraction 1 gives the deadline itself); for
   * natural units it is the natural fraction, rounded to the millisecond.
   */
  warningInstant(start: Date, deadline: Date, fraction: number, unit: DurationUnit = 'working-days'): Date {
    if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1) throw new RangeError('fraction must be from 0 to 1');
    if (deadline.getTime() < start.getTime()) throw new RangeError('deadline must not be before start');
    if (!isWorkingTimeUnit(unit)) {
      return new Date(start.getTime() + Math.round((deadline.getTime() - start.getTime()) * fraction));
    }
    if (fraction === 1) return new Date(deadline.getTime());
    const s = this.snapshot();
    const local = toLocal(start);
    const total = s.workingMsBetween(local, toLocal(deadline));
    return fromLocal(s.addWorkingMs(local, Math.round(total * fraction)));
  }

  private addWorkingMs(from: Date, ms: number): DeadlineResult {
    const s = this.snapshot();
    const local = toLocal(from);
    const deadline = s.addWorkingMs(local, ms);
    return { deadline: fromLocal(deadline), confirmed: s.confirmedBetween(local, deadline) };
  }
}
