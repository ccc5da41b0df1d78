import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  ValidationArguments,
} from 'class-validator';
import {
  BUSINESS_DOMAINS,
  BusinessDomain,
  DEMAND_TYPES,
  DemandType,
  REGION_CODES,
  URGENCIES,
  Urgency,
} from '@hotline/contracts';
import {
  CATEGORY_CODE_PATTERN,
  ROUTING_CONFIDENCES,
  RoutingConfidence,
  TARGET_MODES,
  TargetMode,
} from './routing-rule.model';

/** A department code: a municipal office's letters (RSKS) or a region bureau's region code (500103). */
export const DEPARTMENT_CODE_PATTERN = /^[A-Z0-9]{2,20}$/;

const oneOf = (field: string, values: readonly string[]) => `${field} must each be one of ${values.join(', ')}`;
const notEmpty = (field: string, what: string) => `${field} must not be empty; leave it out to match ${what}`;

/** Leading and trailing blanks are no part of what was typed. */
const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/** Words: each trimmed, empty ones dropped, each once. */
const NormaliseWords = () =>
  Transform(({ value }) =>
    Array.isArray(value)
      ? [...new Set(value.map((k) => (typeof k === 'string' ? k.trim() : k)).filter((k) => k !== ''))]
      : value,
  );

/** `departmentCode` is required for mode `department` and refused for mode `region-bureau`. */
function DepartmentCodeForMode(): PropertyDecorator {
  const wantsCode = (args?: ValidationArguments) => (args?.object as { mode?: unknown } | undefined)?.mode === 'department';
  return ValidateBy({
    name: 'departmentCodeForMode',
    validator: {
      validate: (value, args) =>
        wantsCode(args) ? typeof value === 'string' && DEPARTMENT_CODE_PATTERN.test(value) : value === undefined || value === null,
      defaultMessage: (args) =>
        wantsCode(args)
          ? 'departmentCode must be a department code (like RSKS or 500103) when mode is department'
          : 'departmentCode must be left out unless mode is department',
    },
  });
}

/** 匹配条件 — all optional, AND-ed; an empty list is refused (leave the condition out instead). */
export class RuleMatchRequest {
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty({ message: notEmpty('domains', 'every domain') })
  @ArrayUnique({ message: 'domains must not repeat a domain' })
  @IsIn(BUSINESS_DOMAINS, { each: true, message: oneOf('domains', BUSINESS_DOMAINS) })
  domains?: BusinessDomain[];

  /** A ticket matches when its categoryCode is one of these or lies under one. */
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty({ message: notEmpty('categoryPrefixes', 'every category') })
  @ArrayMaxSize(50)
  @ArrayUnique({ message: 'categoryPrefixes must not repeat a prefix' })
  @Matches(CATEGORY_CODE_PATTERN, {
    each: true,
    message: 'categoryPrefixes must each be a code of the category tree, like SB, SB.02 or SB.02.01',
  })
  categoryPrefixes?: string[];

  @IsOptional()
  @IsArray()
  @ArrayNotEmpty({ message: notEmpty('demandTypes', 'every demand type') })
  @ArrayUnique({ message: 'demandTypes must not repeat a demand type' })
  @IsIn(DEMAND_TYPES, { each: true, message: oneOf('demandTypes', DEMAND_TYPES) })
  demandTypes?: DemandType[];

  @IsOptional()
  @IsArray()
  @ArrayNotEmpty({ message: notEmpty('regionCodes', 'every region') })
  @ArrayUnique({ message: 'regionCodes must not repeat a region' })
  @IsIn(REGION_CODES, { each: true, message: 'regionCodes must each be one of the 41 region codes of Chongqing (like 500103)' })
  regionCodes?: string[];

  @IsOptional()
  @IsIn(URGENCIES, { message: oneOf('urgency', URGENCIES).replace('must each be', 'must be') })
  urgency?: Urgency;

  @IsOptional()
  @IsInt({ message: 'minPeopleAffected must be a whole number from 1 to 100000' })
  @Min(1, { message: 'minPeopleAffected must be a whole number from 1 to 100000' })
  @Max(100000, { message: 'minPeopleAffected must be a whole number from 1 to 100000' })
  minPeopleAffected?: number;

  /** Any of them in the title or the content. */
  @IsOptional()
  @NormaliseWords()
  @IsArray()
  @ArrayNotEmpty({ message: notEmpty('keywords', 'any text') })
  @ArrayMaxSize(30, { message: 'keywords may hold at most 30 words' })
  @IsString({ each: true, message: 'keywords must be words (text)' })
  @Length(1, 30, { each: true, message: 'keywords must each be 1–30 characters' })
  keywords?: string[];
}

/** 主办 — `{mode:'region-bureau'}` or `{mode:'department', departmentCode}`. */
export class RuleTargetRequest {
  @IsIn(TARGET_MODES, { message: `mode must be one of ${TARGET_MODES.join(', ')}` })
  mode: TargetMode;

  @DepartmentCodeForMode()
  departmentCode?: string;
}

const CO_HANDLER_CODES_MESSAGE = 'coHandlerCodes must each be a department code (like JCZD or 500103) or REGION';

/** POST /api/admin/routing-rules — a new rule. */
export class CreateRoutingRuleRequest {
  @Trim()
  @IsString()
  @Length(2, 100, { message: 'name must be 2–100 characters' })
  name: string;

  /** Lower is tried earlier; unique among active rules. */
  @IsInt({ message: 'priority must be a whole number from 1 to 1000000' })
  @Min(1, { message: 'priority must be a whole number from 1 to 1000000' })
  @Max(1_000_000, { message: 'priority must be a whole number from 1 to 1000000' })
  priority: number;

  /** Omitted or `{}`: the rule matches every ticket. */
  @IsOptional()
  @IsObject({ message: 'match must be an object of conditions' })
  @ValidateNested()
  @Type(() => RuleMatchRequest)
  match?: RuleMatchRequest;

  @IsObject({ message: 'target must be {mode: "region-bureau"} or {mode: "department", departmentCode}' })
  @ValidateNested()
  @Type(() => RuleTargetRequest)
  target: RuleTargetRequest;

  /** 协办 — department codes; REGION names the ticket's region bureau. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10, { message: 'coHandlerCodes may hold at most 10 departments' })
  @ArrayUnique({ message: 'coHandlerCodes must not repeat a department' })
  @Matches(DEPARTMENT_CODE_PATTERN, { each: true, message: CO_HANDLER_CODES_MESSAGE })
  coHandlerCodes?: string[];

  @IsIn(ROUTING_CONFIDENCES, { message: 'confidence must be sure (assign) or review (dispatcher decides)' })
  confidence: RoutingConfidence;
}

/**
 * PUT /api/admin/routing-rules/:id — the fields to change; `match`, `target` and
 * `coHandlerCodes` are replaced whole. `version` guards against a lost update.
 */
export class UpdateRoutingRuleRequest {
  /** The version the editor started from; refused with 409 when someone changed the rule since. */
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;

  @IsOptional()
  @Trim()
  @IsString()
  @Length(2, 100, { message: 'name must be 2–100 characters' })
  name?: string;

  @IsOptional()
  @IsInt({ message: 'priority must be a whole number from 1 to 1000000' })
  @Min(1, { message: 'priority must be a whole number from 1 to 1000000' })
  @Max(1_000_000, { message: 'priority must be a whole number from 1 to 1000000' })
  priority?: number;

  @IsOptional()
  @IsObject({ message: 'match must be an object of conditions' })
  @ValidateNested()
  @Type(() => RuleMatchRequest)
  match?: RuleMatchRequest;

  @IsOptional()
  @IsObject({ message: 'target must be {mode: "region-bureau"} or {mode: "department", departmentCode}' })
  @ValidateNested()
  @Type(() => RuleTargetRequest)
  target?: RuleTargetRequest;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10, { message: 'coHandlerCodes may hold at most 10 departments' })
  @ArrayUnique({ message: 'coHandlerCodes must not repeat a department' })
  @Matches(DEPARTMENT_CODE_PATTERN, { each: true, message: CO_HANDLER_CODES_MESSAGE })
  coHandlerCodes?: string[];

  @IsOptional()
  @IsIn(ROUTING_CONFIDENCES, { message: 'confidence must be sure (assign) or review (dispatcher decides)' })
  confidence?: RoutingConfidence;
}

/** POST /api/admin/routing-rules/dry-run — the facts of a ticket that routing looks at. */
export class RoutingDryRunRequest {
  @IsIn(REGION_CODES, { message: 'regionCode must be one of the 41 region codes of Chongqing' })
  regionCode: string;

  @IsIn(BUSINESS_DOMAINS, { message: `domain must be one of ${BUSINESS_DOMAINS.join(', ')}` })
  domain: BusinessDomain;

  @IsIn(DEMAND_TYPES, { message: `demandType must be one of ${DEMAND_TYPES.join(', ')}` })
  demandType: DemandType;

  @IsOptional()
  @IsIn(URGENCIES, { message: `urgency must be one of ${URGENCIES.join(', ')}` })
  urgency: Urgency = 'normal';

  @IsOptional()
  @IsString()
  @Matches(CATEGORY_CODE_PATTERN, { message: 'categoryCode must be a code of the category tree, like SB.02.01' })
  categoryCode?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  title = '';

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  content = '';

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  peopleAffected?: number;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  employerName?: string;
}
