import { BadRequestException, HttpException, Type } from '@nestjs/common';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage } from 'class-validator';
import { parse as parseQueryString } from 'node:querystring';
import { createValidationPipe } from '@hotline/platform';

/**
 * What the DTO classes say about each field, read from class-validator's and class-transformer's
 * metadata: the same declarations the services validate with. The planner uses it to aim its
 * mutations (a number where text is wanted, a day that does not exist…).
 */
export type FieldKind =
  | 'string'
  | 'enum'
  | 'int'
  | 'number'
  | 'boolean'
  | 'uuid'
  | 'date'
  | 'month'
  | 'instant'
  | 'array'
  | 'object'
  | 'unknown';

export interface FieldSpec {
  name: string;
  optional: boolean;
  kind: FieldKind;
  /** Constraint names (isString, maxLength, matches, isIn …) with their arguments. */
  checks: Map<string, unknown[] | undefined>;
  /** Constraints applied to each element of an array. */
  each: Set<string>;
  enumValues?: readonly unknown[];
  maxLength?: number;
  min?: number;
  max?: number;
  arrayMax?: number;
  /** The class of a nested object (or of each element of a nested array). */
  nested?: Type<unknown>;
}

const SAMPLE_DAY = '2025-06-01';
const SAMPLE_MONTH = '2025-06';

export function fieldsOf(dto: Type<unknown>): FieldSpec[] {
  const storage = getMetadataStorage();
  const metas = storage.getTargetValidationMetadatas(dto, '', true, false, undefined);
  const byName = new Map<string, FieldSpec>();
  for (const m of metas) {
    let spec = byName.get(m.propertyName);
    if (!spec) {
      spec = { name: m.propertyName, optional: false, kind: 'unknown', checks: new Map(), each: new Set() };
      byName.set(m.propertyName, spec);
    }
    if (m.type === 'conditionalValidation') {
      spec.optional = true;
      continue;
    }
    if (m.type === 'nestedValidation') {
      const typeMeta = defaultMetadataStorage.findTypeMetadata(dto, m.propertyName);
      spec.nested = typeMeta?.typeFunction() as Type<unknown> | undefined;
      spec.checks.set('nested', undefined);
      if (m.each) spec.each.add('nested');
      continue;
    }
    const name = m.name ?? (m.constraintCls ? storage.getTargetValidatorConstraints(m.constraintCls)[0]?.name : undefined) ?? 'custom';
    spec.checks.set(name, m.constraints);
    if (m.each) spec.each.add(name);
  }
  for (const spec of byName.values()) classify(spec);
  return [...byName.values()];
}

function classify(spec: FieldSpec): void {
  const c = spec.checks;
  const arg = (name: string, i = 0) => c.get(name)?.[i];
  if (c.has('maxLength')) spec.maxLength = Number(arg('maxLength'));
  if (c.has('length')) spec.maxLength = Number(arg('length', 1));
  if (c.has('min')) spec.min = Number(arg('min'));
  if (c.has('max')) spec.max = Number(arg('max'));
  if (c.has('arrayMaxSize')) spec.arrayMax = Number(arg('arrayMaxSize'));
  if (c.has('isIn')) spec.enumValues = arg('isIn') as unknown[];
  const pattern = arg('matches') as RegExp | undefined;
  const arrayField = c.has('isArray') || spec.each.size > 0;
  if (arrayField) spec.kind = 'array';
  else if (c.has('nested')) spec.kind = 'object';
  else if (c.has('isInt')) spec.kind = 'int';
  else if (c.has('isNumber')) spec.kind = 'number';
  else if (c.has('isBoolean') || (spec.enumValues && spec.enumValues.every((v) => typeof v === 'boolean'))) spec.kind = 'boolean';
  else if (spec.enumValues) spec.kind = 'enum';
  else if (c.has('isUuid')) spec.kind = 'uuid';
  else if (c.has('isIso8601') || c.has('isOffsetInstant')) spec.kind = 'instant';
  else if (c.has('isCalendarDate') || (pattern && onlyDates(pattern, SAMPLE_DAY))) spec.kind = 'date';
  else if (pattern && onlyDates(pattern, SAMPLE_MONTH)) spec.kind = 'month';
  else if (c.has('isString') || pattern || spec.maxLength !== undefined) spec.kind = 'string';
}

/** Whether a pattern is one for dates: it takes the sample, and no word or digits of another shape. */
function onlyDates(pattern: RegExp, sample: string): boolean {
  return pattern.test(sample) && !['received', 'abc', '12345678', `${sample}x`].some((other) => pattern.test(other));
}

/** The outcome of running the services' own validation pipe on a value, here in this process. */
export type Verdict =
  /** The pipe refuses it with a 400 (as the service will). */
  | { outcome: 'refused'; message: string[] }
  /** The pipe lets it through: sent as is, the request would reach the handler. */
  | { outcome: 'accepted' }
  /** The pipe throws something other than a 400: the service would answer 500. Sent as is, to find out. */
  | { outcome: 'crashed'; error: string };

const pipe = createValidationPipe();

export async function validateLikeService(dto: Type<unknown>, type: 'body' | 'query', value: unknown): Promise<Verdict> {
  // A list where an object is due: the pipe refuses every one (each index is an unknown property,
  // or with no index an unknown value) but takes seconds over 100 000 elements; said here at once.
  if (Array.isArray(value) && value.length > 1_000) return { outcome: 'refused', message: ['(a list of more than 1000 elements where an object is due)'] };
  try {
    await pipe.transform(value, { type, metatype: dto, data: undefined });
    return { outcome: 'accepted' };
  } catch (err) {
    if (err instanceof BadRequestException) {
      const response = err.getResponse() as { message?: string[] };
      return { outcome: 'refused', message: response.message ?? [] };
    }
    if (err instanceof HttpException) return { outcome: 'refused', message: [err.message] };
    return { outcome: 'crashed', error: (err as Error)?.message ?? String(err) };
  } finally {
    assertNoPrototypePollution();
  }
}

/** A pollution of Object.prototype by a parser or the pipe would be a finding of its own (and poison this process). */
export function assertNoPrototypePollution(): void {
  const probe = {} as Record<string, unknown>;
  if (probe.polluted !== undefined || probe.role !== undefined || probe.isAdmin !== undefined) {
    throw new Error('Object.prototype was polluted while validating a fuzz body');
  }
}

/** How the services' Express parses a query string (Express 5's "simple" parser: node:querystring). */
export function parseQuery(query: string): Record<string, unknown> {
  return parseQueryString(query) as Record<string, unknown>;
}

/**
 * What the services' JSON body parser makes of `body` (body-parser, strict): the parsed value, or
 * `refused` when it answers 4xx itself. `limit` in bytes.
 */
export function parseBodyLikeService(
  body: Buffer | undefined,
  contentType: string | null,
  method: string,
  limit: number,
): { refused: true; why: string } | { refused: false; value: unknown } {
  const hasBody = body !== undefined && body.length > 0;
  if (!hasBody) return { refused: false, value: undefined };
  if (body.length > limit) return { refused: true, why: 'larger than the limit' };
  const mediaType = contentType?.split(';')[0].trim().toLowerCase() ?? null;
  if (['POST', 'PUT', 'PATCH'].includes(method) && mediaType !== 'application/json') {
    return { refused: true, why: 'not application/json' };
  }
  if (mediaType !== 'application/json') return { refused: false, value: undefined };
  const charset = /charset=([^;]+)/i.exec(contentType ?? '')?.[1]?.trim().toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8') return { refused: true, why: `charset ${charset}` };
  let text = body.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // body-parser's strict mode: the first character after JSON whitespace must open an object or array.
  const first = [...text].find((c) => c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r');
  if (first !== '{' && first !== '[') return { refused: true, why: 'not an object or array' };
  try {
    return { refused: false, value: JSON.parse(text) };
  } catch {
    return { refused: true, why: 'not valid JSON' };
  }
}
