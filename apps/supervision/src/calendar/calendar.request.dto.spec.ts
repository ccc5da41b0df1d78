import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DEFAULT_OFFICE_HOURS } from '@hotline/calendar';
import { ConfigurationError } from '@hotline/platform';
import { DeadlineQuery, isOffsetInstant, PutCalendarOverridesRequest } from './calendar.request.dto';
import { officeHoursFromEnvironment } from './supervision-calendar.module';

const problems = (cls: new () => object, plain: object) =>
  validateSync(plainToInstance(cls, plain), { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true }).flatMap((e) => [
    ...Object.values(e.constraints ?? {}),
    ...(e.children ?? []).flatMap((c) => (c.children ?? []).flatMap((g) => Object.values(g.constraints ?? {}))),
  ]);

describe('calendar requests', () => {
  it('take instants only with an offset, and only real ones', () => {
    expect(isOffsetInstant('2026-11-23T09:30:00+08:00')).toBe(true);
    expect(isOffsetInstant('2026-11-23T01:30:00.123Z')).toBe(true);
    expect(isOffsetInstant('2026-11-23T09:30+08:00')).toBe(true);
    expect(isOffsetInstant('2026-11-23T09:30:00')).toBe(false);
    expect(isOffsetInstant('2026-11-23')).toBe(false);
    expect(isOffsetInstant('2026-02-29T09:30:00Z')).toBe(false);
    expect(isOffsetInstant('2026-11-23T24:00:00Z')).toBe(false);
    expect(isOffsetInstant('2026-11-23T09:30:00+15:00')).toBe(false);
    expect(isOffsetInstant(1764000000000)).toBe(false);
  });

  it('convert whole-number query values and refuse the rest', () => {
    const ok = plainToInstance(DeadlineQuery, { from: '2026-11-23T09:30:00 08:00', amount: '13', unit: 'working-days' });
    expect(ok).toEqual({ from: '2026-11-23T09:30:00+08:00', amount: 13, unit: 'working-days' });
    expect(validateSync(ok)).toEqual([]);
    expect(problems(DeadlineQuery, { from: '2026-11-23T09:30:00Z', amount: '', unit: 'hours' })).toEqual([
      'amount must be a whole number from 0 to 1000',
    ]);
    expect(problems(DeadlineQuery, { from: '2026-11-23T09:30:00Z', amount: '-1', unit: 'hours' })).toEqual([
      'amount must be a whole number from 0 to 1000',
    ]);
  });

  it('refuse a start outside the years the calendar answers for', () => {
    const message = 'from must be an ISO-8601 instant with an offset, like 2026-11-23T09:30:00+08:00, in the years 2000 to 2100';
    for (const from of ['0000-01-01T00:00:00Z', '1999-12-31T23:59:59+08:00', '2101-01-01T00:00:00Z', '2026-02-29T09:30:00Z']) {
      expect(problems(DeadlineQuery, { from, amount: '3', unit: 'working-days' })).toEqual([message]);
    }
    for (const from of ['2000-01-01T00:00:00Z', '2100-12-31T23:59:59+08:00']) {
      expect(problems(DeadlineQuery, { from, amount: '3', unit: 'working-days' })).toEqual([]);
    }
  });

  it('trim override texts and refuse a date given twice', () => {
    const body = plainToInstance(PutCalendarOverridesRequest, {
      overrides: [{ date: '2026-11-23', kind: 'holiday', name: ' 地方假日 ', reason: ' 通知 ' }],
    });
    expect(body.overrides[0]).toEqual(expect.objectContaining({ name: '地方假日', reason: '通知' }));
    expect(validateSync(body)).toEqual([]);
    const twice = { date: '2026-11-23', kind: 'holiday', name: 'a', reason: 'b' };
    expect(problems(PutCalendarOverridesRequest, { overrides: [twice, twice] })).toEqual(['overrides must not name a date twice']);
  });
});

describe('OFFICE_HOURS', () => {
  it('defaults, parses, and stops the service with the variable named when wrong', () => {
    expect(officeHoursFromEnvironment({})).toBe(DEFAULT_OFFICE_HOURS);
    expect(officeHoursFromEnvironment({ OFFICE_HOURS: '08:30-12:00,14:00-18:00' }).sessions).toHaveLength(2);
    expect(() => officeHoursFromEnvironment({ OFFICE_HOURS: '9 to 5' })).toThrow(ConfigurationError);
    expect(() => officeHoursFromEnvironment({ OFFICE_HOURS: '9 to 5' })).toThrow(/OFFICE_HOURS: office hours: "9 to 5"/);
  });
});
