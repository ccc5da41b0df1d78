import { ValidateBy, ValidationOptions } from 'class-validator';

/** Years a date in this system can name (the database and the calendar both take these). */
const FIRST_YEAR = 1900;
const LAST_YEAR = 9999;

function isRealDay(year: number, month: number, day: number): boolean {
  if (year < FIRST_YEAR || year > LAST_YEAR || month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|([+-])(\d{2}):(\d{2})))?$/;

/** A real calendar day `YYYY-MM-DD` (not 2025-02-30, not 9999-99-99). */
export function isCalendarDay(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DAY.exec(value);
  return !!m && isRealDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * A point in time as the API takes it: a day `YYYY-MM-DD`, or a date-time with seconds optional
 * and a zone (`Z` or an offset of at most ±14:00). Narrower than ISO-8601 on purpose: week
 * dates (2025-W23) and ordinal dates (2025-152) are valid ISO but no one means them here.
 */
export function isInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = INSTANT.exec(value);
  if (!m || !isRealDay(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
  if (m[4] !== undefined) {
    if (Number(m[4]) > 23 || Number(m[5]) > 59 || (m[6] !== undefined && Number(m[6]) > 59)) return false;
    if (m[8] !== undefined && (Number(m[9]) * 60 + Number(m[10]) > 14 * 60 || Number(m[10]) > 59)) return false;
  }
  return Number.isFinite(Date.parse(value));
}

export function IsCalendarDay(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDay',
      validator: {
        validate: (value) => isCalendarDay(value),
        defaultMessage: (args) => `${args?.property} must be a real day, YYYY-MM-DD`,
      },
    },
    options,
  );
}

export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInstant',
      validator: {
        validate: (value) => isInstant(value),
        defaultMessage: (args) => `${args?.property} must be a day YYYY-MM-DD or a time like 2026-11-23T09:30:00+08:00`,
      },
    },
    options,
  );
}
