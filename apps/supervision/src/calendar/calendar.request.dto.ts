import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { DURATION_UNITS, DurationUnit, isIsoDate, SPECIAL_DAY_KINDS, SpecialDayKind } from '@hotline/calendar';

/** Instants on the wire: ISO-8601 with an explicit offset (Z or ±hh:mm), to the millisecond at most. */
const OFFSET_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Whether `value` is an ISO-8601 instant with an offset that names a real moment. */
export function isOffsetInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = OFFSET_INSTANT.exec(value);
  if (!match) return false;
  const [, , month, day, hour, minute, , second] = match;
  if (!isIsoDate(`${match[1]}-${month}-${day}`)) return false;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) return false;
  const offset = match[9];
  if (offset !== 'Z' && (Number(offset.slice(1, 3)) > 14 || Number(offset.slice(4)) > 59)) return false;
  return !Number.isNaN(Date.parse(value));
}

/** A query value that is a plain whole number becomes a number; anything else stays text (and is refused). */
const WholeNumber = () =>
  Transform(({ value }) => (typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value));

const FROM_MESSAGE = 'from must be an ISO-8601 instant with an offset, like 2026-11-23T09:30:00+08:00, in the years 2000 to 2100';

/** The years the calendar answers for (as `year` and override dates below); 0000-01-01 is no start of a deadline. */
const isCalendarInstant = (value: unknown): boolean => {
  if (!isOffsetInstant(value)) return false;
  const year = Number(value.slice(0, 4));
  return year >= 2000 && year <= 2100;
};
const AMOUNT_MESSAGE = 'amount must be a whole number from 0 to 1000';
const YEAR_MESSAGE = 'year must be a year from 2000 to 2100';

/** GET /api/calendar/deadline */
export class DeadlineQuery {
  /** An unencoded `+` in a query string arrives as a space: `…T09:30:00 08:00` is taken as `+08:00`. */
  @Transform(({ value }) => (typeof value === 'string' ? value.replace(/ (\d{2}:\d{2})$/, '+$1') : value))
  @ValidateBy({ name: 'isCalendarInstant', validator: { validate: isCalendarInstant, defaultMessage: () => FROM_MESSAGE } })
  from: string;

  @WholeNumber()
  @IsInt({ message: AMOUNT_MESSAGE })
  @Min(0, { message: AMOUNT_MESSAGE })
  @Max(1000, { message: AMOUNT_MESSAGE })
  amount: number;

  @IsIn(DURATION_UNITS, { message: `unit must be one of ${DURATION_UNITS.join(', ')}` })
  unit: DurationUnit;
}

/** GET /api/calendar/days */
export class CalendarDaysQuery {
  @WholeNumber()
  @IsInt({ message: YEAR_MESSAGE })
  @Min(2000, { message: YEAR_MESSAGE })
  @Max(2100, { message: YEAR_MESSAGE })
  year: number;
}

/** Leading and trailing blanks are no part of what was typed. */
const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/** One override as the administrator wants it to be. */
export class CalendarOverrideRequest {
  @ValidateBy({
    name: 'isCalendarDate',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isIsoDate(value) && value >= '2000-01-01' && value <= '2100-12-31',
      defaultMessage: () => 'date must be a date written YYYY-MM-DD, from 2000 to 2100',
    },
  })
  date: string;

  @IsIn(SPECIAL_DAY_KINDS, { message: `kind must be one of ${SPECIAL_DAY_KINDS.join(', ')}` })
  kind: SpecialDayKind;

  @Trim()
  @IsString({ message: 'name must be text' })
  @Length(1, 50, { message: 'name must be 1–50 characters' })
  name: string;

  /** Why (the notice or decision behind it): kept with every version. */
  @Trim()
  @IsString({ message: 'reason must be text' })
  @Length(1, 500, { message: 'reason must be 1–500 characters' })
  reason: string;

  /** False withdraws the override (the official day applies again); default true. */
  @IsOptional()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;

  /** The version the editor started from (0 for a new date); refused with 409 if it changed since. */
  @IsOptional()
  @IsInt({ message: 'version must be a whole number ≥ 0' })
  @Min(0, { message: 'version must be a whole number ≥ 0' })
  version?: number;
}

/** PUT /api/admin/calendar — overrides to create or change, each at most once. */
export class PutCalendarOverridesRequest {
  @IsArray({ message: 'overrides must be a list' })
  @ArrayNotEmpty({ message: 'overrides must not be empty' })
  @ArrayMaxSize(366, { message: 'overrides may hold at most 366 dates' })
  @ValidateBy({
    name: 'uniqueDates',
    validator: {
      validate: (value: unknown) =>
        !Array.isArray(value) ||
        new Set(value.map((o) => (o as { date?: unknown } | null)?.date)).size === value.length,
      defaultMessage: () => 'overrides must not name a date twice',
    },
  })
  @ValidateNested({ each: true })
  @Type(() => CalendarOverrideRequest)
  overrides: CalendarOverrideRequest[];
}
