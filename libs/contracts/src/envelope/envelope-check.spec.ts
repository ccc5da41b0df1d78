import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { conformsToEnvelope } from './envelope-check';
import { EventEnvelopeSchema } from './event-envelope';

const schemaAccepts = (envelope: unknown): boolean =>
  validateSync(plainToInstance(EventEnvelopeSchema, envelope as object)).length === 0;

const VALID = Object.freeze({
  eventId: '0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6b',
  type: 'ticket.assigned',
  version: 1,
  ticketId: '0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6c',
  occurredAt: '2026-11-23T09:30:00.123+08:00',
  producer: 'assignment',
  actor: { id: 'system', role: 'system' },
  correlationId: '0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6d',
  causationId: null,
  payload: { number: '12333-20261123-000001' },
});

const UUIDS = [
  '0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6b',
  '0192F0C4-6C1E-7A10-8F00-1C2D3E4F5A6B',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '0192f0c4-6c1e-9a10-8f00-1c2d3e4f5a6b',
  '0192f0c4-6c1e-0a10-8f00-1c2d3e4f5a6b',
  '0192f0c4-6c1e-7a10-cf00-1c2d3e4f5a6b',
  '0192f0c46c1e7a108f001c2d3e4f5a6b',
  '{0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6b}',
  ' 0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6b',
  '0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6b\n',
  'x',
];
const INSTANTS = [
  '2026-11-23T09:30:00+08:00',
  '2026-11-23T01:30:00.123Z',
  '2026-11-23T01:30:00.123456789Z',
  '2024-02-29T00:00:00Z',
  '2026-02-29T00:00:00Z',
  '2026-04-31T00:00:00Z',
  '2026-11-23T24:00:00Z',
  '2026-11-23T23:60:00Z',
  '2026-11-23T23:59:60Z',
  '2026-11-23T09:30:00+24:00',
  '2026-11-23T09:30:00+23:59',
  '2026-11-23T09:30:00-00:00',
  '2026-11-23T09:30:00+0800',
  '2026-11-23T09:30:00z',
  '2026-11-23 09:30:00Z',
  '2026-11-23T09:30Z',
  '2026-11-23T09:30:00,5Z',
  '2026-11-23T09:30:00',
  '2026-11-23',
  '2026-W47-1',
  '2026-327',
  '0000-01-01T00:00:00Z',
  '+2026-11-23T09:30:00Z',
  '2026-13-01T00:00:00Z',
  '2026-11-00T00:00:00Z',
  '2026-11-23T09:30:00.Z',
];
const TEXTS = ['', 'a', 'x'.repeat(100), 'x'.repeat(101), '𠀀'.repeat(50), '𠀀'.repeat(51), '𠀀'.repeat(100), ' ', '工单'];
const OTHERS: unknown[] = [undefined, null, 0, 1, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, true, false, '1', [], [1], {}, { a: 1 }];

/** Values to try for each field: its own kind's edge cases and every other kind. */
const CANDIDATES: Record<string, unknown[]> = {
  eventId: [...UUIDS, ...TEXTS, ...OTHERS],
  type: [...TEXTS, ...OTHERS, 'ticket.vanished'],
  version: [...OTHERS, 2, 1000, 2 ** 53, 1e21, -0, 0.999],
  ticketId: [...TEXTS, ...UUIDS, ...OTHERS],
  occurredAt: [...INSTANTS, ...OTHERS],
  producer: ['gateway', 'intake', 'assignment', 'supervision', 'metrics', 'Metrics', 'system', ...OTHERS],
  correlationId: [...UUIDS, ...OTHERS],
  causationId: [...UUIDS, ...OTHERS],
  payload: [...OTHERS, { nested: { deep: [1, 2] } }, 'text'],
  actor: [
    ...OTHERS,
    { id: 'u1', role: 'operator' },
    { id: 'u1', role: 'handler', departmentId: '0192f0c4-6c1e-7a10-8f00-000000000001' },
    { id: 'u1', role: 'handler', departmentId: null },
    { id: 'u1', role: 'handler', departmentId: '' },
    { id: 'u1', role: 'handler', departmentId: 'x'.repeat(101) },
    { id: 'u1', role: 'handler', departmentId: 7 },
    { id: 'u1', role: 'nobody' },
    { id: '', role: 'operator' },
    { id: 'x'.repeat(101), role: 'operator' },
    { id: 5, role: 'operator' },
    { role: 'operator' },
    { id: 'u1' },
    [{ id: 'u1', role: 'operator' }],
  ],
};

/** A small seeded generator, so a failure repeats. */
function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

describe('conformsToEnvelope', () => {
  it('vouches for the envelopes this system writes', () => {
    expect(conformsToEnvelope(VALID)).toBe(true);
    expect(schemaAccepts(VALID)).toBe(true);
    expect(conformsToEnvelope({ ...VALID, causationId: VALID.eventId, actor: { id: 'u1', role: 'handler', departmentId: 'd1' } })).toBe(true);
    expect(conformsToEnvelope({ ...VALID, occurredAt: new Date().toISOString() })).toBe(true);
  });

  it('vouches only for what the schema accepts: every field given every candidate value', () => {
    let vouched = 0;
    for (const [field, values] of Object.entries(CANDIDATES)) {
      for (const value of values) {
        const envelope: Record<string, unknown> = { ...VALID, actor: { ...VALID.actor }, [field]: value };
        if (value === undefined) delete envelope[field];
        const fast = conformsToEnvelope(envelope);
        if (fast) vouched += 1;
        expect({ field, value, fast, schema: schemaAccepts(envelope) }).toEqual({ field, value, fast, schema: fast ? true : expect.any(Boolean) });
      }
    }
    expect(vouched).toBeGreaterThan(30);
  });

  it('vouches only for what the schema accepts: random envelopes of several changed fields', () => {
    const random = generator(20261123);
    const fields = Object.keys(CANDIDATES);
    let vouched = 0;
    let refused = 0;
    for (let i = 0; i < 3000; i += 1) {
      const envelope: Record<string, unknown> = { ...VALID, actor: { ...VALID.actor } };
      const changes = 1 + Math.floor(random() * 3);
      for (let c = 0; c < changes; c += 1) {
        const field = fields[Math.floor(random() * fields.length)];
        const values = CANDIDATES[field];
        envelope[field] = values[Math.floor(random() * values.length)];
      }
      const fast = conformsToEnvelope(envelope);
      const schema = schemaAccepts(envelope);
      if (fast) {
        vouched += 1;
        expect({ envelope, schema }).toEqual({ envelope, schema: true });
      } else if (!schema) refused += 1;
    }
    expect(vouched).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(1000);
  });

  it('refuses what is not an object', () => {
    for (const value of [null, undefined, 'x', 1, [], [VALID]]) expect(conformsToEnvelope(value)).toBe(false);
  });
});
