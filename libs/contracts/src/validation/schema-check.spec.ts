import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, MaxLength, ValidateNested, validateSync } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { EventEnvelopeSchema } from '../envelope/event-envelope';
import { EVENT_TYPES, latestVersion, payloadClass } from '../events/event-catalog';
import { EVENT_EXAMPLES } from '../events/event-examples';
import { ContractClass, schemaAccepts } from './schema-check';

const classValidatorAccepts = (cls: ContractClass, value: unknown): boolean =>
  validateSync(plainToInstance(cls as new () => object, value as object)).length === 0;

const ENVELOPE = {
  eventId: '0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6b',
  type: 'ticket.assigned',
  version: 1,
  ticketId: '0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6c',
  occurredAt: '2026-11-23T09:30:00.123+08:00',
  producer: 'assignment',
  actor: { id: 'u1', role: 'handler', departmentId: '0192f0c4-6c1e-7a10-8f00-000000000001' },
  correlationId: '0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6d',
  causationId: null,
  payload: { number: '12333-20261123-000001' },
};

/** Every contract class with a value it accepts. */
const SUBJECTS: { name: string; cls: ContractClass; valid: Record<string, unknown> }[] = [
  { name: 'envelope', cls: EventEnvelopeSchema, valid: ENVELOPE },
  ...EVENT_TYPES.map((type) => ({
    name: type,
    cls: payloadClass(type, latestVersion(type)) as ContractClass,
    valid: EVENT_EXAMPLES[type] as unknown as Record<string, unknown>,
  })),
];

const texts = [0, 1, 2, 5, 6, 10, 11, 20, 21, 30, 31, 50, 51, 60, 61, 64, 65, 100, 101, 200, 201, 500, 501, 1000, 1001, 2000, 2001, 4001].map((n) =>
  'x'.repeat(n),
);
const CANDIDATES: unknown[] = [
  ...texts,
  ...['工单', ' ', ' a ', 'a'.repeat(64), 'A'.repeat(64), 'g'.repeat(64), '𠀀'.repeat(100), '𠀀'.repeat(101), '12333-20261123-000001', '12333-2026112-000001'],
  ...['0192F0C4-6C1E-7A10-8F00-1C2D3E4F5A6B', '00000000-0000-0000-0000-000000000000', '0192f0c4-6c1e-9a10-8f00-1c2d3e4f5a6b', '0192f0c46c1e7a108f001c2d3e4f5a6b'],
  ...['2026-11-23T01:30:00Z', '2024-02-29T00:00:00+08:00', '2026-02-29T00:00:00Z', '2026-11-23T24:00:00Z', '2026-11-23T09:30:00', '2026-11-23', '0000-01-01T00:00:00Z', '2026-11-23T09:30:00+24:00', '2026-W47-1'],
  ...[-1, 0, 1, 2, 3, 9, 10, 11, 30, 100, 1000, 100000, 2 ** 31, 2 ** 53, 1.5, -0, Number.NaN, Number.POSITIVE_INFINITY],
  ...[undefined, null, true, false, [], [1], ['x'], {}, { a: 1 }, [{}], [null]],
];

/** Every value found in the valid examples, so that fields also get other fields' valid values. */
function leaves(value: unknown, into: unknown[] = []): unknown[] {
  if (Array.isArray(value)) {
    into.push(value, value.slice(0, 0), Array.from({ length: 11 }, () => value[0]));
    for (const item of value) leaves(item, into);
  } else if (typeof value === 'object' && value !== null) {
    into.push(value);
    for (const item of Object.values(value)) leaves(item, into);
  } else into.push(value);
  return into;
}
const POOL = [...CANDIDATES, ...new Set(SUBJECTS.flatMap((s) => leaves(s.valid)))];

/** The paths of every field, nested ones and list items included, and one no class declares. */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [];
  const own = Array.isArray(value) ? value.map((_, i) => String(i)) : [...Object.keys(value), 'unexpected'];
  return own.flatMap((key) => [[...prefix, key], ...paths((value as Record<string, unknown>)[key], [...prefix, key])]);
}

function withValue(base: unknown, path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(base) as Record<string, unknown>;
  let node = copy as Record<string, unknown>;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) return copy;
    node = node[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = structuredClone(value);
  return copy;
}

describe('schemaAccepts', () => {
  it.each(SUBJECTS.map((s) => [s.name, s] as const))('accepts the valid %s without asking class-validator', (_, subject) => {
    expect(classValidatorAccepts(subject.cls, subject.valid)).toBe(true);
    expect(schemaAccepts(subject.cls, subject.valid)).toBe(true);
  });

  it.each(SUBJECTS.map((s) => [s.name, s] as const))('accepts only what class-validator accepts: %s, every field given every value', (_, subject) => {
    let agreed = 0;
    let refusedByBoth = 0;
    for (const path of paths(subject.valid)) {
      for (const value of POOL) {
        const candidate = withValue(subject.valid, path, value);
        const fast = schemaAccepts(subject.cls, candidate);
        const slow = classValidatorAccepts(subject.cls, candidate);
        if (fast && !slow) throw new Error(`${subject.name}: accepted ${path.join('.')} = ${JSON.stringify(value)}, which class-validator refuses`);
        if (fast) agreed += 1;
        else if (!slow) refusedByBoth += 1;
      }
    }
    expect(agreed).toBeGreaterThan(0);
    expect(refusedByBoth).toBeGreaterThan(0);
  });

  it('accepts only what class-validator accepts: values in several fields at once', () => {
    // A fixed sweep (strides prime to the lists' lengths), so a failure repeats.
    const pick = <T>(list: T[], n: number): T => list[n % list.length];
    let accepted = 0;
    for (let i = 0; i < 4000; i += 1) {
      const subject = pick(SUBJECTS, i);
      const all = paths(subject.valid);
      let candidate: Record<string, unknown> = subject.valid;
      for (let c = 1 + (i % 3); c > 0; c -= 1) candidate = withValue(candidate, pick(all, i * 7 + c * 3), pick(POOL, i * 13 + c * 101));
      if (schemaAccepts(subject.cls, candidate)) {
        accepted += 1;
        if (!classValidatorAccepts(subject.cls, candidate)) throw new Error(`${subject.name}: accepted ${JSON.stringify(candidate)}`);
      }
    }
    expect(accepted).toBeGreaterThan(200);
  });

  it('leaves to class-validator what it cannot answer the same way', () => {
    class WithDefault {
      @IsString()
      kind = 'x';
    }
    class Child {
      @IsInt()
      n: number;
    }
    class Untyped {
      @ValidateNested()
      child: Child;
    }
    class Typed {
      @IsOptional()
      @IsString()
      @MaxLength(3)
      name?: string;

      @ValidateNested({ each: true })
      @Type(() => Child)
      children: Child[];
    }
    // A default fills a missing field before class-validator looks; a nested object without @Type is unknown to it.
    expect(schemaAccepts(WithDefault, {})).toBe(false);
    expect(classValidatorAccepts(WithDefault, {})).toBe(true);
    expect(schemaAccepts(Untyped, { child: { n: 1 } })).toBe(false);
    expect(schemaAccepts(Typed, { children: [{ n: 1 }, { n: 2 }] })).toBe(true);
    expect(schemaAccepts(Typed, { name: null, children: [] })).toBe(true);
    expect(schemaAccepts(Typed, { name: 'abcd', children: [] })).toBe(false);
    expect(schemaAccepts(Typed, { children: [{ n: 1.5 }] })).toBe(false);
    expect(schemaAccepts(Typed, { children: [1] })).toBe(false);
    expect(schemaAccepts(Typed, [])).toBe(false);
    expect(schemaAccepts(Typed, null)).toBe(false);
  });
});
