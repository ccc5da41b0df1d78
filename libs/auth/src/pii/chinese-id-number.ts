import { ValidateBy, ValidationOptions } from 'class-validator';

/** GB 11643-1999: weights of the first 17 digits under ISO 7064 MOD 11-2. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** Check character by (weighted sum mod 11). */
const CHECK = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
const SHAPE = /^\d{17}[\dX]$/;

/** The check character (校验码) for the first 17 digits. */
export function chineseIdCheckDigit(first17: string): string {
  const sum = WEIGHTS.reduce((acc, weight, i) => acc + weight * Number(first17[i]), 0);
  return CHECK[sum % 11];
}

/**
 * The 18-character resident ID number (居民身份证号码) in canonical form (upper-case X), or null
 * when it is not one: wrong shape, impossible or future birth date, or wrong check digit.
 * `now` decides "today" on the Asia/Shanghai calendar.
 */
export function normalizeChineseIdNumber(id: unknown, now: Date = new Date()): string | null {
  if (typeof id !== 'string') return null;
  const value = id.trim().toUpperCase();
  if (!SHAPE.test(value)) return null;
  if (!isPlausibleBirthDate(value.slice(6, 14), now)) return null;
  return chineseIdCheckDigit(value) === value[17] ? value : null;
}

export function isValidChineseIdNumber(id: unknown, now: Date = new Date()): boolean {
  return normalizeChineseIdNumber(id, now) !== null;
}

/**
 * class-validator: a valid resident ID number. Lower-case x is accepted; store the value of
 * normalizeChineseIdNumber so every copy reads the same.
 */
export function IsChineseIdNumber(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isChineseIdNumber',
      validator: {
        validate: (value: unknown) => isValidChineseIdNumber(value),
        defaultMessage: () => '$property must be a valid 18-digit resident ID number (GB 11643 check digit)',
      },
    },
    options,
  );
}

/** YYYYMMDD is a real calendar date between 1900-01-01 and today. */
function isPlausibleBirthDate(yyyymmdd: string, now: Date): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  // Today in Shanghai (UTC+8), as YYYYMMDD; fixed-width digit strings compare like dates.
  const today = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
  return real && yyyymmdd >= '19000101' && yyyymmdd <= today;
}
