import Redis from 'ioredis';
import { waitFor } from '@hotline/testing';
import { call, newTicket, tokenOf } from './support/gateway-client';

const redisPrefix = () => `${process.env.E2E_KAFKA_NAMESPACE}redis:`;

interface Overview {
  today: { counts: Record<string, number> };
  now: { open: number };
}

/** Reads server-sent events from a stream until `until` returns true for one of them. */
async function readEvents(body: ReadableStream<Uint8Array>, until: (type: string, data: unknown) => boolean): Promise<{ type: string; data: unknown }[]> {
  const reader = body.getReader();
  const seen: { type: string; data: unknown }[] = [];
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return seen;
    buffer += Buffer.from(value).toString('utf8');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const type = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1];
      const event = { type, data: data ? JSON.parse(data) : null };
      seen.push(event);
      if (until(event.type, event.data)) {
        await reader.cancel();
        return seen;
      }
    }
  }
}

describe('live dashboard (实时推送) and its cache', () => {
  it('pushes a change to the leader’s open stream when a new ticket is projected', async () => {
    const controller = new AbortController();
    const stream = await fetch(`${process.env.E2E_GATEWAY_URL}/api/metrics/stream`, {
      headers: { authorization: `Bearer ${await tokenOf('leader')}`, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const received = readEvents(stream.body as ReadableStream<Uint8Array>, (type, data) =>
      type === 'change' && Boolean((data as { types: Record<string, number> }).types['ticket.received']),
    );
    const created = await call('POST', '/api/tickets', newTicket({ regionCode: '500105' }), { token: await tokenOf('operator') });
    expect(created.status).toBe(201);
    const events = await Promise.race([
      received,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no change pushed within 20 s')), 20_000)),
    ]);
    controller.abort();
    const change = events.find((e) => e.type === 'change') as { data: { version: number; at: string } };
    expect(change.data.version).toBeGreaterThan(0);
  });

  it('refuses the stream to a role without the dashboard and to no token', async () => {
    const operator = await fetch(`${process.env.E2E_GATEWAY_URL}/api/metrics/stream`, { headers: { authorization: `Bearer ${await tokenOf('operator')}` } });
    expect(operator.status).toBe(403);
    await operator.body?.cancel();
    const anonymous = await fetch(`${process.env.E2E_GATEWAY_URL}/api/metrics/stream`);
    expect(anonymous.status).toBe(401);
    await anonymous.body?.cancel();
  });

  it('serves every cached dashboard answer as JSON, computed and from the cache alike', async () => {
    const leader = { token: await tokenOf('leader') };
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const paths = [
      '/api/metrics/overview',
      `/api/metrics/departments?month=${month}`,
      `/api/metrics/grading?month=${month}`,
      `/api/metrics/lists?month=${month}&size=5`,
      `/api/metrics/trends?from=${month}-01&to=${month}-02&measure=received&dimension=all`,
      `/api/metrics/breakdown?month=${month}&dimension=region`,
    ];
    for (const path of paths) {
      for (const attempt of ['first', 'again']) {
        const answer = await call<Record<string, unknown>>('GET', path, undefined, leader);
        expect({ path, attempt, status: answer.status, type: answer.headers.get('content-type') }).toEqual({
          path,
          attempt,
          status: 200,
          type: 'application/json; charset=utf-8',
        });
        expect(typeof answer.body).toBe('object');
      }
    }
    // A refusal from inside a cached computation is still the field-level 400.
    const refused = await call<{ message: string[] }>('GET', `/api/metrics/trends?from=${month}-02&to=${month}-01&measure=received&dimension=all`, undefined, leader);
    expect(refused.status).toBe(400);
    expect(refused.body.message.join(' ')).toMatch(/^to: /);
  });

  it('answers the same numbers with the cache emptied (Redis is a cache, not the truth), and fresh ones after a change', async () => {
    const leader = { token: await tokenOf('leader') };
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const version = async () => redis.get(`${redisPrefix()}metrics:version`);
    let before: { body: Overview } | undefined;
    try {
      // Compare across a window in which no commit landed (the version did not move); other
      // tickets of this run are still being projected, so retry until such a window comes.
      await waitFor('a quiet window to compare in', async () => {
        const v1 = await version();
        const cached = await call<Overview>('GET', '/api/metrics/overview', undefined, leader);
        const keys = await redis.keys(`${redisPrefix()}metrics:cache:*`);
        if (!keys.length) return false;
        await redis.del(...keys);
        const computed = await call<Overview>('GET', '/api/metrics/overview', undefined, leader);
        if ((await version()) !== v1) return false;
        expect(computed.body).toEqual(cached.body);
        before = computed;
        return true;
      });
    } finally {
      redis.disconnect();
    }
    if (!before) throw new Error('unreachable');
    const received = before.body.today.counts.received ?? 0;
    await call('POST', '/api/tickets', newTicket({ regionCode: '500105' }), { token: await tokenOf('operator') });
    await waitFor('the overview to move', async () => {
      const now = await call<Overview>('GET', '/api/metrics/overview', undefined, leader);
      return (now.body.today.counts.received ?? 0) === received + 1;
    });
  });
});
