import { isCalendarDay, isInstant } from './time-validators';

describe('isCalendarDay', () => {
  it.each(['2026-11-23', '2024-02-29', '1900-01-01', '9999-12-31'])('takes %s', (day) => expect(isCalendarDay(day)).toBe(true));
  it.each(['2025-02-30', '2023-02-29', '2025-13-01', '2025-00-10', '0000-00-00', '9999-99-99', '2026-1-1', '2026-11-23T00:00', 20261123, null])(
    'refuses %s',
    (day) => expect(isCalendarDay(day)).toBe(false),
  );
});

describe('isInstant', () => {
  it.each(['2026-11-23', '2026-11-23T09:30Z', '2026-11-23T09:30:00+08:00', '2026-11-23T09:30:00.123Z', '2026-11-23T09:30:00-14:00'])(
    'takes %s',
    (t) => expect(isInstant(t)).toBe(true),
  );
  it.each(['2025-W23', '2025-W23-1', '2025-152', '2025-06-01T00:00:00-23:59', '2025-06-01T24:00:00Z', '2025-02-30T00:00:00Z', '2025-06-01T10:00', 'now', ''])(
    'refuses %s',
    (t) => expect(isInstant(t)).toBe(false),
  );
});
