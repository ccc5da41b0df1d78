import { loadOfficialDays } from './official-days';
import { CalendarOverride, WorkingCalendar } from './working-calendar';

/**
 * Property tests over thousands of random instants in 2024–2026 (Asia/Shanghai), with a small
 * seeded generator (mulberry32) so every run checks the same cases and a failure names its seed
 * and case. Set CALENDAR_PROPERTY_SEED to explore other seeds.
 */
const SEED = Number(process.env.CALENDAR_PROPERTY_SEED ?? 12333);
const RUNS = 3000;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Gen {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  fraction(): number {
    return this.next();
  }
  /** Any instant from 2024-01-01 to 2026-12-31 (Shanghai), to the millisecond. */
  instant(): Date {
    return new Date(this.int(FIRST, LAST - 1));
  }
  /**
   * An instant inside office hours, chosen without asking the calendar under test: a random
   * date whose status comes from the notice data and the weekday, a random minute of the
   * 420 office minutes, a random millisecond.
   */
  officeInstant(isWorkingDate: (date: string) => boolean): Date {
    for (;;) {
      const day = this.int(0, (LAST - FIRST) / DAY - 1);
      const date = new Date(FIRST + SHANGHAI + day * DAY).toISOString().slice(0, 10);
      if (!isWorkingDate(date)) continue;
      const officeMs = this.int(0, 420 * MINUTE - 1);
      const wallMs = officeMs < 180 * MINUTE ? 9 * 60 * MINUTE + officeMs : 13.5 * 60 * MINUTE + officeMs - 180 * MINUTE;
      return new Date(FIRST + day * DAY + wallMs);
    }
  }
}

const MINUTE = 60_000;
const DAY = 86_400_000;
const SHANGHAI = 8 * 3600_000;
const FIRST = Date.parse('2024-01-01T00:00:00+08:00');
const LAST = Date.parse('2027-01-01T00:00:00+08:00');

const official = loadOfficialDays();
const officialOnly = new WorkingCalendar(official);

/** The official days plus some random extra local holidays and make-up days. */
function withRandomOverrides(gen: Gen): WorkingCalendar {
  const overrides = new Map<string, CalendarOverride>();
  for (let i = 0; i < 40; i += 1) {
    const date = new Date(FIRST + SHANGHAI + gen.int(0, 3 * 365) * DAY).toISOString().slice(0, 10);
    overrides.set(date, { date, kind: gen.fraction() < 0.7 ? 'holiday' : 'make-up-workday', name: '本地调整' });
  }
  return WorkingCalendar.fromOverrides(official, [...overrides.values()]);
}

/** Plain checks: `expect` costs more than the calendar in loops of thousands. */
function ok(condition: boolean, what: string): void {
  if (!condition) throw new Error(`${what}: does not hold`);
}

function equal(actual: number, expected: number, what: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${expected}, got ${actual}`);
}

function same(actual: Date, expected: Date, what: string): void {
  if (actual.getTime() !== expected.getTime()) {
    throw new Error(`${what}: expected ${expected.toISOString()}, got ${actual.toISOString()}`);
  }
}

const shanghaiDate = (instant: Date) => new Date(instant.getTime() + SHANGHAI).toISOString().slice(0, 10);

/** Runs `check` RUNS times with a fresh generator; a failure names the seed and the case. */
function forAll(name: string, check: (gen: Gen, calendar: WorkingCalendar) => void): void {
  describe(name, () => {
    const calendars: [string, (gen: Gen) => WorkingCalendar][] = [
      ['official days', () => officialOnly],
      ['official days with random overrides', withRandomOverrides],
    ];
    it.each(calendars)('holds on %s', (_label, make) => {
      const gen = new Gen(SEED);
      const calendar = make(gen);
      for (let run = 0; run < RUNS; run += 1) {
        try {
          check(gen, calendar);
        } catch (err) {
          (err as Error).message = `seed ${SEED}, run ${run}: ${(err as Error).message}`;
          throw err;
        }
      }
    });
  });
}

forAll('add N working days, then count or subtract them', (gen, calendar) => {
  const start = gen.instant();
  const n = gen.int(0, 30);
  const { deadline } = calendar.addWorkingDays(start, n);
  // Whatever the start, exactly N working days of office time separate it from the deadline…
  equal(calendar.workingDaysBetween(start, deadline), n, 'working days between start and deadline');
  // …and subtracting gives back where the clock started: the start itself if it was in office
  // hours, otherwise the next opening.
  same(calendar.subtractWorkingDays(deadline, n).deadline, calendar.nextOfficeTime(start), 'subtract(add(start))');
  // The deadline is in office hours, on a working day.
  ok(calendar.isOfficeTime(deadline), 'deadline in office hours');
  ok(calendar.isWorkingDay(shanghaiDate(deadline)), 'deadline on a working day');
});

forAll('add then subtract returns a start inside office hours, and the other way round', (gen, calendar) => {
  const start = gen.officeInstant((date) => calendar.isWorkingDay(date));
  ok(calendar.isOfficeTime(start), 'the generated start is in office hours');
  const n = gen.int(1, 30);
  const { deadline } = calendar.addWorkingDays(start, n);
  same(calendar.subtractWorkingDays(deadline, n).deadline, start, 'subtract(add(start, n), n)');
  same(calendar.addWorkingDays(calendar.subtractWorkingDays(start, n).deadline, n).deadline, start, 'add(subtract(start, n), n)');
  // The same wall-clock time, N working days later.
  equal((deadline.getTime() - start.getTime()) % DAY, 0, 'same wall-clock time');
  const m = gen.int(1, 5000);
  const later = calendar.addWorkingMinutes(start, m).deadline;
  same(calendar.addWorkingMinutes(later, -m).deadline, start, 'minutes: subtract(add(start, m), m)');
  const earlier = calendar.addWorkingMinutes(start, -m).deadline;
  same(calendar.addWorkingMinutes(earlier, m).deadline, start, 'minutes: add(subtract(start, m), m)');
});

forAll('elapsed working time is monotonic and additive', (gen, calendar) => {
  const a = gen.instant();
  const b1 = new Date(a.getTime() + gen.int(-20 * DAY, 20 * DAY));
  const b2 = new Date(b1.getTime() + gen.int(0, 5 * DAY));
  const e1 = calendar.workingMinutesBetween(a, b1);
  const e2 = calendar.workingMinutesBetween(a, b2);
  ok(e2 >= e1, `elapsed(a, b2) ${e2} ≥ elapsed(a, b1) ${e1}`);
  // It cannot grow faster than the clock.
  ok(Math.round((e2 - e1) * MINUTE) <= b2.getTime() - b1.getTime(), 'grows no faster than natural time');
  ok(Math.abs(calendar.workingMinutesBetween(b1, b2) - (e2 - e1)) < 1e-6, 'elapsed(a, b1) + elapsed(b1, b2) = elapsed(a, b2)');
  equal(calendar.workingMinutesBetween(b1, a), -e1, 'elapsed(b1, a) = −elapsed(a, b1)');
  // Non-increasing in its first argument.
  const a2 = new Date(a.getTime() + gen.int(0, 2 * DAY));
  ok(calendar.workingMinutesBetween(a2, b2) <= calendar.workingMinutesBetween(a, b2), 'non-increasing in the first argument');
});

forAll('elapsed(a, addWorkingMinutes(a, m)) is m, and the deadline is the earliest such instant', (gen, calendar) => {
  const a = gen.instant();
  const m = gen.int(1, 10 * 420);
  const { deadline } = calendar.addWorkingMinutes(a, m);
  equal(calendar.workingMinutesBetween(a, deadline), m, 'elapsed(a, add(a, m))');
  const justBefore = new Date(deadline.getTime() - 1);
  ok(calendar.workingMinutesBetween(a, justBefore) < m, 'earliest');
  // The last working millisecond is office time on a working day: the deadline is never in a
  // holiday, at night or in the lunch break (it may be a closing time).
  ok(calendar.isOfficeTime(justBefore), 'deadline − 1 ms in office hours');
  ok(calendar.isWorkingDay(shanghaiDate(justBefore)), 'deadline on a working day');
  // Counting back.
  const back = calendar.addWorkingMinutes(a, -m).deadline;
  equal(calendar.workingMinutesBetween(back, a), m, 'elapsed(add(a, −m), a)');
  ok(calendar.isOfficeTime(back), 'counted back into office hours');
  // Working hours are sixty working minutes.
  const h = gen.int(1, 40);
  same(calendar.addWorkingHours(a, h).deadline, calendar.addWorkingMinutes(a, h * 60).deadline, 'hours = 60 minutes');
});

forAll('later starts and larger amounts never give earlier deadlines', (gen, calendar) => {
  const a = gen.instant();
  const b = new Date(a.getTime() + gen.int(0, 3 * DAY));
  const n = gen.int(0, 15);
  const days = (from: Date, k: number) => calendar.addWorkingDays(from, k).deadline.getTime();
  const minutes = (from: Date, k: number) => calendar.addWorkingMinutes(from, k).deadline.getTime();
  ok(days(b, n) >= days(a, n), 'working days: later start');
  ok(days(a, n + 1) > days(a, n), 'working days: one more');
  const m = gen.int(0, 2000);
  ok(minutes(b, m) >= minutes(a, m), 'working minutes: later start');
  ok(minutes(a, m + 1) > minutes(a, m), 'working minutes: one more');
});

forAll('the warning instant is the working fraction, between start and deadline, never in a holiday', (gen, calendar) => {
  const start = gen.instant();
  const n = gen.int(1, 15);
  const fraction = gen.fraction();
  const { deadline, warningAt } = calendar.deadlineWithWarning(start, n, 'working-days', fraction);
  ok(warningAt.getTime() >= start.getTime() && warningAt.getTime() <= deadline.getTime(), 'start ≤ warning ≤ deadline');
  const total = calendar.workingMinutesBetween(start, deadline);
  ok(Math.abs(calendar.workingMinutesBetween(start, warningAt) - total * fraction) <= 0.5 / MINUTE, 'the fraction of office time');
  const lastWorked = warningAt.getTime() > calendar.nextOfficeTime(start).getTime() ? new Date(warningAt.getTime() - 1) : warningAt;
  ok(calendar.isOfficeTime(lastWorked), 'warning in office hours on a working day');
  // Natural units keep the natural fraction.
  const natural = calendar.deadlineWithWarning(start, n * 8, 'hours', fraction);
  equal(natural.warningAt.getTime(), start.getTime() + Math.round(n * 8 * 3600_000 * fraction), 'natural fraction');
});

describe('overrides only ever add or remove whole working days', () => {
  it('an extra holiday never brings a deadline forward, and inside the span delays it by one working day', () => {
    const gen = new Gen(SEED + 1);
    for (let run = 0; run < RUNS; run += 1) {
      const start = gen.instant();
      const n = gen.int(1, 20);
      const holiday = new Date(start.getTime() + SHANGHAI + gen.int(0, 30) * DAY).toISOString().slice(0, 10);
      const withHoliday = WorkingCalendar.fromOverrides(official, [{ date: holiday, kind: 'holiday', name: '地方假日' }]);
      const before = officialOnly.addWorkingDays(start, n).deadline;
      const after = withHoliday.addWorkingDays(start, n).deadline;
      ok(after.getTime() >= before.getTime(), `run ${run}: never earlier`);
      const inside = holiday > shanghaiDate(officialOnly.nextOfficeTime(start)) && holiday < shanghaiDate(before);
      if (officialOnly.isWorkingDay(holiday) && inside) {
        equal(withHoliday.workingDaysBetween(before, after), 1, `run ${run}: one working day later`);
      }
    }
  });
});
