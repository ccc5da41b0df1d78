import { readTopics, waitFor } from '@hotline/testing';
import { Client } from 'pg';
import { as, call, newTicket, TimelineItem, uniquePhone } from './support/gateway-client';

interface CreatedTicket {
  id: string;
  number: string;
  status: string;
}

const namespace = () => process.env.E2E_KAFKA_NAMESPACE as string;

async function timelineOf(id: string, length: number): Promise<TimelineItem[]> {
  return waitFor(`a timeline of ${length} events for ${id}`, async () => {
    const answer = await call<TimelineItem[]>('GET', `/api/tickets/${id}/timeline`, undefined, await as('supervisor'));
    return answer.status === 200 && answer.body.length >= length ? answer.body : undefined;
  }, { timeoutMs: 20_000 });
}

async function countTickets(): Promise<number> {
  const client = new Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT count(*)::int AS n FROM intake.ticket');
    return rows[0].n;
  } finally {
    await client.end();
  }
}

describe('one ticket’s trip through the four services', () => {
  const tripPhone = uniquePhone();
  let ticket: CreatedTicket;
  let timeline: TimelineItem[];

  beforeAll(async () => {
    const answer = await call<CreatedTicket>(
      'POST',
      '/api/tickets',
      newTicket({ urgency: 'urgent', regionCode: '500241', caller: { name: '秀山来电人', phone: tripPhone } }),
      await as('operator'),
    );
    expect(answer.status).toBe(201);
    ticket = answer.body;
    timeline = await timelineOf(ticket.id, 3);
  });

  it('gets a readable, per-day ticket number', () => {
    expect(ticket.number).toMatch(/^12333-\d{8}-\d{6}$/);
    expect(ticket.status).toBe('received');
  });

  it('is received, assigned to the region bureau and starts its sign-for clock, in that order', () => {
    expect(timeline.map((e) => [e.type, e.producer])).toEqual([
      ['ticket.received', 'intake'],
      ['ticket.assigned', 'assignment'],
      ['ticket.sla-started', 'supervision'],
    ]);
    const [received, assigned, started] = timeline;
    // 秀山: a region no other test files tickets in, so its counters are this ticket's alone.
    expect(assigned.payload).toMatchObject({ departmentCode: '500241', departmentName: '秀山土家族苗族自治县人力社保局' });
    expect(started.payload).toMatchObject({ clock: 'sign-for', limit: { amount: 2, unit: 'hours' } });
    // Urgent: sign for within 2 natural hours of the assignment.
    expect(Date.parse(started.payload.deadline as string) - Date.parse(assigned.occurredAt)).toBe(2 * 3600_000);
    expect(new Set(timeline.map((e) => e.correlationId))).toEqual(new Set([received.eventId]));
    expect(assigned.causationId).toBe(received.eventId);
    expect(started.causationId).toBe(assigned.eventId);
  });

  it('is on the real Kafka topics, keyed by ticket id, without the caller’s phone number', async () => {
    const records = await readTopics(
      ['hotline.intake.events.v1', 'hotline.assignment.events.v1', 'hotline.supervision.events.v1'].map(
        (t) => namespace() + t,
      ),
    );
    const ours = records.filter((r) => r.key === ticket.id);
    expect(ours.map((r) => JSON.parse(r.value as string).type).sort()).toEqual(
      ['ticket.assigned', 'ticket.received', 'ticket.sla-started'],
    );
    expect(ours.every((r) => r.headers['event-type'] && r.headers['correlation-id'] === timeline[0].eventId)).toBe(true);
    expect(records.some((r) => r.value?.includes(tripPhone))).toBe(false);
  });

  it('is counted for its department and day, once', async () => {
    const day = (timeline[0].payload.receivedAt as string).slice(0, 10);
    const departmentId = timeline[1].payload.departmentId as string;
    const counters = await waitFor('the department counters', async () => {
      const answer = await call<{ dimensionKey: string; measure: string; value: number }[]>(
        'GET',
        `/api/metrics/daily?day=${day}&dimension=department`,
        undefined,
        await as('leader'),
      );
      const mine = answer.body.filter((c) => c.dimensionKey === departmentId);
      return mine.length === 2 ? mine : undefined;
    });
    expect(Object.fromEntries(counters.map((c) => [c.measure, c.value]))).toEqual({ assigned: 1, received: 1 });
  });

  it('answers an unknown ticket’s timeline with 404', async () => {
    const supervisor = await as('supervisor');
    const answer = await call('GET', '/api/tickets/01a20594-0000-7000-8000-000000000000/timeline', undefined, supervisor);
    expect(answer.status).toBe(404);
    expect((await call('GET', '/api/tickets/not-a-uuid/timeline', undefined, supervisor)).status).toBe(404);
  });
});

describe('many tickets at once', () => {
  it('routes every one to its own region’s bureau with one timeline each', async () => {
    const regions = ['500101', '500105', '500112', '500243', 'LJXQ', 'GXQ', 'WSJK', '500118'];
    const created = await Promise.all(
      regions.map((regionCode, i) =>
        as('operator').then((o) => call<CreatedTicket>('POST', '/api/tickets', newTicket({ regionCode, title: `第${i}件` }), o)),
      ),
    );
    expect(created.map((c) => c.status)).toEqual(regions.map(() => 201));
    expect(new Set(created.map((c) => c.body.number)).size).toBe(regions.length);
    for (const [i, answer] of created.entries()) {
      const events = await timelineOf(answer.body.id, 3);
      expect(events[1].payload.departmentCode).toBe(regions[i]);
      expect(events.map((e) => e.type)).toEqual(['ticket.received', 'ticket.assigned', 'ticket.sla-started']);
    }
  });
});

describe('bad input through the gateway', () => {
  it.each([
    ['no demand type', newTicket({ demandType: undefined }), 'demandType'],
    ['an unknown domain', newTicket({ domain: 'weather' }), 'domain'],
    ['a region outside Chongqing', newTicket({ regionCode: '110101' }), 'regionCode'],
    ['an empty content', newTicket({ content: '' }), 'content'],
    ['a phone number that is none', newTicket({ caller: { name: '某人', phone: '12345' } }), 'caller.phone'],
    ['a landline without its area code', newTicket({ caller: { name: '某人', phone: '67700003' } }), 'caller.phone'],
    ['an empty caller name', newTicket({ caller: { name: '', phone: '13800000003' } }), 'caller.name'],
    ['a title of 201 characters', newTicket({ title: '长'.repeat(201) }), 'title'],
    ['a content of 4001 characters', newTicket({ content: '长'.repeat(4001) }), 'content'],
    ['no one affected', newTicket({ peopleAffected: 0 }), 'peopleAffected'],
    ['an unknown urgency', newTicket({ urgency: 'very' }), 'urgency'],
    ['an unknown channel', newTicket({ channel: 'fax' }), 'channel'],
    ['a malformed category code', newTicket({ categoryCode: 'sb-2' }), 'categoryCode'],
    ['an unknown category', newTicket({ categoryCode: 'SB.09.09' }), 'categoryCode'],
    ['a category of another domain', newTicket({ domain: 'wage-arrears', categoryCode: 'SB.02.01' }), 'categoryCode'],
    ['21 attachments', newTicket({ attachments: Array.from({ length: 21 }, (_, i) => ({ name: `${i}.jpg`, reference: `r${i}` })) }), 'attachments'],
    ['an attachment without reference', newTicket({ attachments: [{ name: 'a.jpg' }] }), 'attachments.0.reference'],
    ['an answer on the call for a complaint', newTicket({ resolveOnCall: { answer: '已答复' } }), 'resolveOnCall'],
    ['a desired contact time of 101 characters', newTicket({ desiredContactTime: '时'.repeat(101) }), 'desiredContactTime'],
    ['no caller', newTicket({ caller: undefined }), 'caller'],
    ['an ID number with a wrong check digit', newTicket({ caller: { name: '某人', phone: '13800000002', idNumber: '110105194912310021' } }), 'caller.idNumber'],
    ['an unknown field', newTicket({ secretFlag: true }), 'secretFlag'],
    ['a number of people that is text', newTicket({ peopleAffected: 'many' }), 'peopleAffected'],
  ])('refuses %s with 400 naming the field, and stores nothing', async (_what, body, field) => {
    const before = await countTickets();
    const answer = await call<{ statusCode: number; message: string[] }>('POST', '/api/tickets', body, await as('operator'));
    expect(answer.status).toBe(400);
    expect(answer.body.statusCode).toBe(400);
    expect(answer.body.message.some((m) => m.startsWith(`${field}:`))).toBe(true);
    expect(await countTickets()).toBe(before);
  });

  it('refuses malformed JSON, a wrong content type and an oversized body with a 4xx', async () => {
    const operator = await as('operator');
    expect((await call('POST', '/api/tickets', '{"demandType":', operator)).status).toBe(400);
    expect(
      (await call('POST', '/api/tickets', 'demandType=help', { ...operator, headers: { 'content-type': 'text/plain' } })).status,
    ).toBe(415);
    const huge = await call('POST', '/api/tickets', newTicket({ content: '欠'.repeat(200_000) }), operator);
    expect(huge.status).toBe(413);
  });

  it('answers an unknown path with a JSON 404', async () => {
    const answer = await call<{ statusCode: number }>('GET', '/api/no-such-thing', undefined, await as('operator'));
    expect(answer.status).toBe(404);
    expect(answer.body.statusCode).toBe(404);
  });
});

describe('reference data and health', () => {
  it('lists the 41 region bureaus and the municipal offices', async () => {
    const answer = await call<{ code: string; kind: string }[]>('GET', '/api/departments', undefined, await as('handler.500103'));
    expect(answer.status).toBe(200);
    expect(answer.body.filter((d) => d.kind === 'region-bureau')).toHaveLength(41);
    expect(answer.body.filter((d) => d.kind === 'municipal-office').length).toBeGreaterThanOrEqual(10);
  });

  it('reports every service ready with its PostgreSQL, Redis and Kafka checks', async () => {
    const ports = JSON.parse(process.env.E2E_SERVICE_PORTS as string) as Record<string, number>;
    for (const [name, port] of Object.entries(ports)) {
      const answer = await fetch(`http://127.0.0.1:${port}/health/ready`);
      const body = (await answer.json()) as { status: string; checks: Record<string, { ok: boolean }> };
      expect({ name, status: body.status }).toEqual({ name, status: 'ready' });
      expect(body.checks.redis.ok).toBe(true);
      if (name !== 'gateway') expect(body.checks.postgres.ok && body.checks.kafka.ok).toBe(true);
    }
  });
});
