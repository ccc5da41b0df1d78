import { EVENT_TYPES } from '../events/event-catalog';
import { EVENT_EXAMPLES as EXAMPLES } from '../events/event-examples';
import { createEvent, EventContractError, parseEvent, serializeEvent, toOffsetIso } from './event-codec';
import { uuidv7 } from './uuid-v7';

const TICKET_ID = '0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6b';

describe('event contracts', () => {
  it.each(EVENT_TYPES)('%s survives build → serialise → parse → validate', (type) => {
    const built = createEvent(type, EXAMPLES[type] as never, { ticketId: TICKET_ID });
    const parsed = parseEvent(Buffer.from(serializeEvent(built)));
    expect(parsed).toEqual(built);
    expect(parsed.type).toBe(type);
    expect(parsed.payload).toEqual(EXAMPLES[type]);
  });

  it.each(EVENT_TYPES)('%s refuses an empty payload on the way out', (type) => {
    expect(() => createEvent(type, {} as never, { ticketId: TICKET_ID })).toThrow(EventContractError);
  });

  it('carries the correlation id of the trip and the causation id of the cause', () => {
    const received = createEvent('ticket.received', EXAMPLES['ticket.received'], { ticketId: TICKET_ID });
    const assigned = createEvent('ticket.assigned', EXAMPLES['ticket.assigned'], {
      ticketId: TICKET_ID,
      cause: received,
    });
    const started = createEvent('ticket.sla-started', EXAMPLES['ticket.sla-started'], {
      ticketId: TICKET_ID,
      cause: assigned,
    });
    expect(received.correlationId).toBe(received.eventId);
    expect(received.causationId).toBeNull();
    expect(assigned.correlationId).toBe(received.eventId);
    expect(assigned.causationId).toBe(received.eventId);
    expect(started.correlationId).toBe(received.eventId);
    expect(started.causationId).toBe(assigned.eventId);
    expect(assigned.producer).toBe('assignment');
    expect(started.producer).toBe('supervision');
  });

  it('names the broken field of an invalid payload', () => {
    const bad = createEvent('ticket.received', EXAMPLES['ticket.received'], { ticketId: TICKET_ID });
    (bad.payload as { regionCode: string }).regionCode = '999999';
    try {
      parseEvent(serializeEvent(bad));
      throw new Error('expected a contract error');
    } catch (err) {
      expect(err).toBeInstanceOf(EventContractError);
      expect((err as EventContractError).kind).toBe('invalid-payload');
      expect((err as EventContractError).details.join()).toContain('regionCode');
    }
  });

  it('validates only the payloads it is told to, and every envelope, type and version', () => {
    const bad = createEvent('ticket.received', EXAMPLES['ticket.received'], { ticketId: TICKET_ID });
    (bad.payload as { regionCode: string }).regionCode = '999999';
    const onlyAssigned = { validatePayload: (type: string) => type === 'ticket.assigned' };
    expect(parseEvent(serializeEvent(bad), onlyAssigned).eventId).toBe(bad.eventId);
    expect(() => parseEvent(serializeEvent(bad), { validatePayload: () => true })).toThrow(expect.objectContaining({ kind: 'invalid-payload' }));
    expect(() => parseEvent(serializeEvent({ ...bad, type: 'ticket.vanished' }), onlyAssigned)).toThrow(expect.objectContaining({ kind: 'unknown-type' }));
    expect(() => parseEvent(serializeEvent({ ...bad, version: 99 }), onlyAssigned)).toThrow(expect.objectContaining({ kind: 'unsupported-version' }));
    expect(() => parseEvent(serializeEvent({ ...bad, eventId: 'x' }), onlyAssigned)).toThrow(expect.objectContaining({ kind: 'invalid-envelope' }));
  });

  it.each([
    ['not json', 'malformed-json'],
    ['[1,2]', 'invalid-envelope'],
    ['{"eventId":"x"}', 'invalid-envelope'],
  ])('classifies %p as %s', (raw, kind) => {
    expect(() => parseEvent(raw)).toThrow(expect.objectContaining({ kind }));
  });

  it('rejects unknown types and versions it does not know', () => {
    const ok = createEvent('ticket.received', EXAMPLES['ticket.received'], { ticketId: TICKET_ID });
    expect(() => parseEvent(serializeEvent({ ...ok, type: 'ticket.vanished' }))).toThrow(
      expect.objectContaining({ kind: 'unknown-type' }),
    );
    expect(() => parseEvent(serializeEvent({ ...ok, version: 99 }))).toThrow(
      expect.objectContaining({ kind: 'unsupported-version' }),
    );
  });
});

describe('uuidv7', () => {
  it('is a version-7 RFC 9562 id, ordered by creation', () => {
    const ids = Array.from({ length: 2000 }, () => uuidv7());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('toOffsetIso', () => {
  it('writes the Shanghai wall clock with its offset', () => {
    expect(toOffsetIso(new Date('2026-11-22T01:30:00.000Z'))).toBe('2026-11-22T09:30:00.000+08:00');
    expect(new Date(toOffsetIso(new Date(0))).getTime()).toBe(0);
  });
});
