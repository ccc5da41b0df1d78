import { Paged } from '@hotline/platform';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateBy,
  ValidationOptions,
  buildMessage,
} from 'class-validator';
import { BUSINESS_DOMAINS, BusinessDomain } from '@hotline/contracts';

const DOMAIN_MESSAGE = `domain must be one of ${BUSINESS_DOMAINS.join(', ')}`;

/** Leading and trailing blanks (full-width ones too) are no part of what was typed. */
const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/** Keywords: each trimmed, empty ones dropped, each once. */
const NormaliseKeywords = () =>
  Transform(({ value }) =>
    Array.isArray(value)
      ? [...new Set(value.map((k) => (typeof k === 'string' ? k.trim() : k)).filter((k) => k !== ''))]
      : value,
  );

/** A calendar day written YYYY-MM-DD that exists (no 2025-02-30). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value) => isCalendarDate(value),
        defaultMessage: buildMessage((each) => `${each}$property must be a date YYYY-MM-DD`, options),
      },
    },
    options,
  );
}

/** This date is not before the date in `field` of the same object (when both are dates). */
function IsOnOrAfter(field: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isOnOrAfter',
      constraints: [field],
      validator: {
        validate: (value, args) => {
          const other = (args?.object as Record<string, unknown>)[field];
          return !isCalendarDate(value) || !isCalendarDate(other) || value >= other;
        },
        defaultMessage: buildMessage((each) => `${each}$property must be on or after $constraint1`, options),
      },
    },
    options,
  );
}

/** GET /api/knowledge — the caller's words as the operator typed them. */
export class KnowledgeSearchQuery {
  @Trim()
  @Length(1, 200, { message: 'q must be 1–200 characters' })
  @IsString({ message: 'q must be given: the words to search for, 1–200 characters' })
  q: string;

  @IsOptional()
  @IsIn(BUSINESS_DOMAINS, { message: DOMAIN_MESSAGE })
  domain?: BusinessDomain;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 50' })
  @Min(1, { message: 'limit must be a whole number from 1 to 50' })
  @Max(50, { message: 'limit must be a whole number from 1 to 50' })
  limit = 10;
}

/** GET /api/admin/knowledge — every entry, retired ones too, newest change first. */
class KnowledgeFilters {
  @IsOptional()
  @IsIn(BUSINESS_DOMAINS, { message: DOMAIN_MESSAGE })
  domain?: BusinessDomain;

  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsIn([true, false], { message: 'active must be true or false' })
  active?: boolean;
}

export class KnowledgeListQuery extends Paged(KnowledgeFilters, 50) {}

/** POST /api/admin/knowledge — a new policy answer. */
export class CreateKnowledgeEntryRequest {
  /** 问题 — as a citizen would ask it. */
  @Trim()
  @Length(4, 200, { message: 'question must be 4–200 characters' })
  @IsString()
  question: string;

  /** 答复口径 — what the operator reads out: conditions, materials, channels, time limits. */
  @Trim()
  @Length(10, 4000, { message: 'answer must be 10–4000 characters' })
  @IsString()
  answer: string;

  @IsIn(BUSINESS_DOMAINS, { message: DOMAIN_MESSAGE })
  domain: BusinessDomain;

  /** 关键词 — the words callers use (失业金, 拖欠工资 …); they weigh most in the search. */
  @IsOptional()
  @NormaliseKeywords()
  @IsArray()
  @ArrayMaxSize(20, { message: 'keywords may hold at most 20 words' })
  @Length(1, 30, { each: true, message: 'keywords must each be 1–30 characters' })
  @IsString({ each: true, message: 'keywords must be words (text)' })
  keywords: string[] = [];

  @IsCalendarDate()
  validFrom: string;

  /** Omitted or null: in force until retired or given an end. */
  @IsOptional()
  @IsCalendarDate()
  @IsOnOrAfter('validFrom')
  validTo?: string | null;

  /** 政策依据 — 《失业保险条例》, 渝人社发〔2024〕12号, 重庆市相关规定 … */
  @Trim()
  @Length(2, 200, { message: 'source must be 2–200 characters' })
  @IsString()
  source: string;
}

/** PUT /api/admin/knowledge/:id — the fields to change; `version` guards against a lost update. */
export class UpdateKnowledgeEntryRequest {
  /** The version the editor started from; refused with 409 when someone changed it since. */
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;

  @IsOptional()
  @Trim()
  @Length(4, 200, { message: 'question must be 4–200 characters' })
  @IsString()
  question?: string;

  @IsOptional()
  @Trim()
  @Length(10, 4000, { message: 'answer must be 10–4000 characters' })
  @IsString()
  answer?: string;

  @IsOptional()
  @IsIn(BUSINESS_DOMAINS, { message: DOMAIN_MESSAGE })
  domain?: BusinessDomain;

  @IsOptional()
  @NormaliseKeywords()
  @IsArray()
  @ArrayMaxSize(20, { message: 'keywords may hold at most 20 words' })
  @Length(1, 30, { each: true, message: 'keywords must each be 1–30 characters' })
  @IsString({ each: true, message: 'keywords must be words (text)' })
  keywords?: string[];

  @IsOptional()
  @IsCalendarDate()
  validFrom?: string;

  /** null removes the end date. Checked against validFrom as it will be after the change. */
  @IsOptional()
  @IsCalendarDate()
  @IsOnOrAfter('validFrom')
  validTo?: string | null;

  @IsOptional()
  @Trim()
  @Length(2, 200, { message: 'source must be 2–200 characters' })
  @IsString()
  source?: string;
}
