import { INestApplication, Logger } from '@nestjs/common';
import { WORKING_CALENDAR, WorkingCalendar } from '@hotline/calendar';
import { ServiceEnvironment, serviceDataSourceOptions } from '@hotline/platform';
import { FeatureApp, startFeatureApp } from '@hotline/testing';
import { DataSource } from 'typeorm';
import { CalendarService } from '../src/calendar/calendar.service';
import { SupervisionCalendarModule } from '../src/calendar/supervision-calendar.module';
import { SUPERVISION_DATABASE } from '../src/database/supervision.database';

/** Friday 20 Nov 2026, 10:00 Shanghai; Monday 23 Nov is an ordinary working day. */
const FRIDAY = '2026-11-20T10:00:00+08:00';
const deadlinePath = (from: string, amount: number, unit: string) =>
  `/api/calendar/deadline?from=${encodeURIComponent(from)}&amount=${amount}&unit=${unit}`;
const localHoliday = { date: '2026-11-23', kind: 'holiday', name: '地方假日', reason: '市政府通知（示例）' };

describe('calendar overrides (real PostgreSQL, over HTTP)', () => {
  let app: INestApplication;
  let url: string;
  let env: ServiceEnvironment;


  let call: FeatureApp['call'];

  beforeAll(async () => {
    const feature = await startFeatureApp({
      service: 'supervision',
      database: SUPERVISION_DATABASE,
      databaseName: 'hotline_test_supervision_calendar',
      imports: [SupervisionCalendarModule],
    });
    ({ app, env, call } = feature);
    url = env.DATABASE_URL;
  });

  afterAll(() => app?.close());

  it('computes deadlines on the official calendar for any staff role; channel accounts and strangers may not', async () => {
    expect(await call('GET', deadlinePath(FRIDAY, 1, 'working-days'), 'handler')).toEqual({
      status: 200,
      body: { deadline: '2026-11-23T10:00:00.000+08:00', confirmed: true },
    });
    // National Day 2026: the day before the holiday + 1 working day is Thursday 8 Oct.
    expect((await call('GET', deadlinePath('2026-09-30T02:00:00Z', 1, 'working-days'), 'operator')).body.deadline).toBe(
      '2026-10-08T10:00:00.000+08:00',
    );
    expect((await call('GET', deadlinePath('2026-02-13T16:30:00+08:00', 2, 'working-hours'), 'leader')).body.deadline).toBe(
      '2026-02-14T10:00:00.000+08:00',
    );
    expect((await call('GET', deadlinePath(FRIDAY, 90, 'minutes'), 'dispatcher')).body.deadline).toBe('2026-11-20T11:30:00.000+08:00');
    expect(await call('GET', deadlinePath('2027-03-01T10:00:00+08:00', 2, 'working-days'), 'supervisor')).toEqual({
      status: 200,
      body: { deadline: '2027-03-03T10:00:00.000+08:00', confirmed: false },
    });
    expect((await call('GET', deadlinePath(FRIDAY, 1, 'working-days'), 'channel')).status).toBe(403);
    expect((await call('GET', deadlinePath(FRIDAY, 1, 'working-days'), null)).status).toBe(401);
  });

  it('refuses bad queries field by field', async () => {
    const bad = async (path: string) => {
      const answer = await call('GET', path, 'operator');
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual(expect.objectContaining({ statusCode: 400, error: 'Bad Request' }));
      return answer.body.message as string[];
    };
    expect(await bad(deadlinePath('2026-11-20T10:00:00', 1, 'working-days'))).toEqual([
      'from: from must be an ISO-8601 instant with an offset, like 2026-11-23T09:30:00+08:00, in the years 2000 to 2100',
    ]);
    expect(await bad(deadlinePath('0000-01-01T00:00:00Z', 1, 'working-days'))).toEqual([expect.stringMatching(/^from: .*2000 to 2100$/)]);
    expect(await bad(deadlinePath('2026-02-30T10:00:00Z', 1, 'working-days'))).toEqual([
      expect.stringMatching(/^from: /),
    ]);
    expect(await bad(deadlinePath(FRIDAY, 1001, 'working-days'))).toEqual(['amount: amount must be a whole number from 0 to 1000']);
    expect(await bad(deadlinePath(FRIDAY, 1.5, 'hours'))).toEqual(['amount: amount must be a whole number from 0 to 1000']);
    expect(await bad(deadlinePath(FRIDAY, 1, 'weeks'))).toEqual([
      'unit: unit must be one of working-days, working-hours, hours, minutes',
    ]);
    expect(await bad(`/api/calendar/deadline?amount=1&unit=hours`)).toEqual([expect.stringMatching(/^from: /)]);
    expect(await bad(`${deadlinePath(FRIDAY, 1, 'hours')}&tz=UTC`)).toEqual([expect.stringMatching(/^tz: /)]);
    expect(await bad('/api/calendar/days?year=26')).toEqual(['year: year must be a year from 2000 to 2100']);
    // An unencoded "+" arrives as a space and is still understood.
    expect((await call('GET', '/api/calendar/deadline?from=2026-11-20T10:00:00+08:00&amount=0&unit=hours', 'operator')).body).toEqual({
      deadline: '2026-11-20T10:00:00.000+08:00',
      confirmed: true,
    });
  });

  it('lists a year’s days with their source and whether the year is confirmed', async () => {
    const y2026 = await call('GET', '/api/calendar/days?year=2026', 'handler');
    expect(y2026.status).toBe(200);
    expect(y2026.body).toEqual(
      expect.objectContaining({ year: 2026, confirmed: true, source: expect.stringContaining('国务院'), officeHours: '09:00-12:00,13:30-17:30', overrides: [] }),
    );
    expect(y2026.body.holidays).toContainEqual({ date: '2026-10-01', name: '国庆节', source: 'official' });
    expect(y2026.body.makeUpWorkdays.map((d: { date: string }) => d.date)).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
    const y2027 = await call('GET', '/api/calendar/days?year=2027', 'leader');
    expect(y2027.body).toEqual(expect.objectContaining({ year: 2027, confirmed: false, holidays: [], makeUpWorkdays: [] }));
  });

  it('an extra local holiday pushes a deadline by a day, for the HTTP route and for the injected calendar', async () => {
    const injected = app.get<WorkingCalendar>(WORKING_CALENDAR);
    const friday = new Date(FRIDAY);
    expect(injected.addWorkingDays(friday, 1).deadline.toISOString()).toBe('2026-11-23T02:00:00.000Z');

    expect((await call('PUT', '/api/admin/calendar', 'supervisor', { overrides: [localHoliday] })).status).toBe(403);
    const put = await call('PUT', '/api/admin/calendar', 'admin', { overrides: [localHoliday] });
    expect(put.status).toBe(200);
    expect(put.body.results).toEqual([{ date: '2026-11-23', outcome: 'created', version: 1 }]);

    expect((await call('GET', deadlinePath(FRIDAY, 1, 'working-days'), 'handler')).body).toEqual({
      deadline: '2026-11-24T10:00:00.000+08:00',
      confirmed: true,
    });
    // The object injected before the change follows it: it delegates to the current calendar.
    expect(injected.addWorkingDays(friday, 1).deadline.toISOString()).toBe('2026-11-24T02:00:00.000Z');
    expect(injected.isWorkingDay('2026-11-23')).toBe(false);

    const days = await call('GET', '/api/calendar/days?year=2026', 'operator');
    expect(days.body.holidays).toContainEqual({ date: '2026-11-23', name: '地方假日', source: 'override', reason: '市政府通知（示例）' });
    expect(days.body.overrides).toEqual([
      expect.objectContaining({ date: '2026-11-23', kind: 'holiday', active: true, version: 1, changedBy: 'admin.tester' }),
    ]);
  });

  it('versions every change, skips identical ones, refuses stale versions, and withdraws', async () => {
    const renamed = { ...localHoliday, name: '地方假日（更正）', version: 1 };
    const second = await call('PUT', '/api/admin/calendar', 'admin', { overrides: [renamed] });
    expect(second.body.results).toEqual([{ date: '2026-11-23', outcome: 'updated', version: 2 }]);
    const same = await call('PUT', '/api/admin/calendar', 'admin', { overrides: [{ ...renamed, version: 2 }] });
    expect(same.body.results).toEqual([{ date: '2026-11-23', outcome: 'unchanged', version: 2 }]);
    expect(await call('PUT', '/api/admin/calendar', 'admin', { overrides: [{ ...renamed, name: '又改', version: 1 }] })).toEqual({
      status: 409,
      body: {
        statusCode: 409,
        error: 'Conflict',
        message: ['overrides.0.version: the override for 2026-11-23 is at version 2; reload it and apply the change again'],
      },
    });

    const withdrawn = await call('PUT', '/api/admin/calendar', 'admin', { overrides: [{ ...renamed, active: false, version: 2 }] });
    expect(withdrawn.body.results).toEqual([{ date: '2026-11-23', outcome: 'deactivated', version: 3 }]);
    expect((await call('GET', deadlinePath(FRIDAY, 1, 'working-days'), 'handler')).body.deadline).toBe('2026-11-23T10:00:00.000+08:00');

    const admin = await call('GET', '/api/admin/calendar', 'admin');
    expect(admin.status).toBe(200);
    expect(admin.body.confirmedYears).toEqual(expect.arrayContaining([2024, 2025, 2026]));
    expect(admin.body.confirmedYears).not.toContain(2027);
    expect(admin.body.years).toHaveLength(3);
    expect(admin.body.overrides).toHaveLength(1);
    expect(admin.body.overrides[0]).toEqual(expect.objectContaining({ date: '2026-11-23', active: false, version: 3 }));
    expect(admin.body.overrides[0].versions.map((v: { version: number; change: string; name: string }) => [v.version, v.change, v.name])).toEqual([
      [1, 'created', '地方假日'],
      [2, 'updated', '地方假日（更正）'],
      [3, 'deactivated', '地方假日（更正）'],
    ]);
    expect((await call('GET', '/api/admin/calendar', 'leader')).status).toBe(403);

    // The history is in the database, one row per version.
    const db = app.get(DataSource);
    const rows: { version: number; change: string; changed_by: string }[] = await db.query(
      `SELECT version, change, changed_by FROM supervision.calendar_override_version WHERE date = '2026-11-23' ORDER BY version`,
    );
    expect(rows).toEqual([
      { version: 1, change: 'created', changed_by: 'admin.tester' },
      { version: 2, change: 'updated', changed_by: 'admin.tester' },
      { version: 3, change: 'deactivated', changed_by: 'admin.tester' },
    ]);
  });

  it('moves a make-up day, and refuses bad override lists field by field', async () => {
    const moved = await call('PUT', '/api/admin/calendar', 'admin', {
      overrides: [
        { date: '2026-10-11', kind: 'make-up-workday', name: '国庆节', reason: '调休改至11日' },
        { date: '2026-10-10', kind: 'holiday', name: '国庆节', reason: '调休改至11日' },
      ],
    });
    expect(moved.body.results).toEqual([
      { date: '2026-10-11', outcome: 'created', version: 1 },
      { date: '2026-10-10', outcome: 'created', version: 1 },
    ]);
    expect((await call('GET', deadlinePath('2026-10-09T10:00:00+08:00', 1, 'working-days'), 'operator')).body.deadline).toBe(
      '2026-10-11T10:00:00.000+08:00',
    );

    const bad = await call('PUT', '/api/admin/calendar', 'admin', {
      overrides: [
        { date: '2026-02-30', kind: 'holiday', name: 'x', reason: 'y' },
        { date: '2026-12-01', kind: 'day-off', name: '', reason: 'y', extra: 1 },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toEqual(
      expect.arrayContaining([
        'overrides.0.date: date must be a date written YYYY-MM-DD, from 2000 to 2100',
        'overrides.1.kind: kind must be one of holiday, make-up-workday',
        'overrides.1.name: name must be 1–50 characters',
        'overrides.1.extra: property extra should not exist',
      ]),
    );
    const twice = await call('PUT', '/api/admin/calendar', 'admin', { overrides: [localHoliday, localHoliday] });
    expect(twice).toEqual(expect.objectContaining({ status: 400 }));
    expect(twice.body.message).toEqual(['overrides: overrides must not name a date twice']);
    expect((await call('PUT', '/api/admin/calendar', 'admin', { overrides: [] })).body.message).toEqual(['overrides: overrides must not be empty']);
    const nothing = await call('PUT', '/api/admin/calendar', 'admin', {
      overrides: [{ date: '2026-12-01', kind: 'holiday', name: '无', reason: '无', active: false }],
    });
    expect(nothing.status).toBe(409);
    expect(nothing.body.message).toEqual(['overrides.0.active: there is no override for 2026-12-01 to withdraw']);
  });

  it('another replica picks the change up on its next refresh, and warns about unconfirmed years', async () => {
    const options = serviceDataSourceOptions('supervision', { DATABASE_URL: url }, SUPERVISION_DATABASE);
    const other = new DataSource(options);
    await other.initialize();
    try {
      const replica = new CalendarService(other);
      await replica.reload();
      expect(replica.calendar.isWorkingDay('2026-12-07')).toBe(true);
      await call('PUT', '/api/admin/calendar', 'admin', {
        overrides: [{ date: '2026-12-07', kind: 'holiday', name: '地方假日', reason: '示例' }],
      });
      expect(replica.calendar.isWorkingDay('2026-12-07')).toBe(true);
      expect(await replica.refreshIfChanged()).toBe(true);
      expect(replica.calendar.isWorkingDay('2026-12-07')).toBe(false);
      expect(await replica.refreshIfChanged()).toBe(false);

      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      try {
        expect(replica.warnAboutUnconfirmedYears(new Date('2026-06-01T00:00:00+08:00')).map((s) => s.year)).toEqual([2027]);
        expect(warn).toHaveBeenCalledWith(expect.stringContaining('the working calendar for 2027 is unconfirmed'));
        expect(replica.warnAboutUnconfirmedYears(new Date('2025-06-01T00:00:00+08:00'))).toEqual([]);
      } finally {
        warn.mockRestore();
      }
    } finally {
      await other.destroy();
    }
  });
});
