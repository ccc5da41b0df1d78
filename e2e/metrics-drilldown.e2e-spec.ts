import { waitFor } from '@hotline/testing';
import { call, newTicket, tokenOf } from './support/gateway-client';

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

interface Overview {
  today: { counts: Record<string, number> };
  now: { open: number; overdue: number; warning: number; escalated: number };
}
interface Behind {
  value: number;
  total: number;
  items: { id: string; regionCode: string; contributed: number }[];
}

/** Every figure of the dashboard lists the tickets behind it, and they add up to it. */
describe('drill-down: the tickets behind every figure (穿透)', () => {
  beforeAll(async () => {
    const operator = { token: await tokenOf('operator') };
    for (const regionCode of ['500106', '500106', '500107']) {
      expect((await call('POST', '/api/tickets', newTicket({ regionCode, domain: 'employment', demandType: 'help' }), operator)).status).toBe(201);
    }
  });

  it('lists the tickets behind today’s received count, for the whole hotline and for one region, adding up exactly', async () => {
    const leader = { token: await tokenOf('leader') };
    await waitFor('overview and drill-down to agree', async () => {
      const overview = await call<Overview>('GET', '/api/metrics/overview', undefined, leader);
      const behind = await call<Behind>('GET', `/api/metrics/counters/tickets?measure=received&from=${today()}&to=${today()}&pageSize=200`, undefined, leader);
      return behind.body.value === overview.body.today.counts.received && behind.body.total === behind.body.value;
    });
    const region = await waitFor('three in 大渡口', async () => {
      const answer = await call<Behind>(
        'GET',
        `/api/metrics/counters/tickets?measure=received&dimension=region&key=500106&from=${today()}&to=${today()}`,
        undefined,
        leader,
      );
      return answer.body.value >= 2 ? answer.body : undefined;
    });
    expect(region.items.every((t) => t.regionCode === '500106')).toBe(true);
    expect(region.items.reduce((n, t) => n + t.contributed, 0)).toBe(region.value);
    const trend = await call<{ series: { day: string; value: number }[] }>(
      'GET',
      `/api/metrics/trends?from=${today()}&to=${today()}&measure=received&dimension=region&key=500106`,
      undefined,
      leader,
    );
    expect(trend.body.series[0].value).toBe(region.value);
  });

  it('lists the tickets behind the open / warning / overdue / escalated figures', async () => {
    const leader = { token: await tokenOf('leader') };
    await waitFor('the now figures to match their lists', async () => {
      const overview = await call<Overview>('GET', '/api/metrics/overview', undefined, leader);
      for (const state of ['open', 'warning', 'overdue', 'escalated'] as const) {
        const listed = await call<{ total: number }>('GET', `/api/tickets?state=${state}&pageSize=1`, undefined, leader);
        if (listed.body.total !== overview.body.now[state]) return false;
      }
      return overview.body.now.open > 0;
    });
  });

  it('refuses a drill-down without its measure or with days the wrong way round', async () => {
    const leader = { token: await tokenOf('leader') };
    const missing = await call<{ errors: { field: string }[] }>('GET', `/api/metrics/counters/tickets?from=${today()}&to=${today()}`, undefined, leader);
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e) => e.field)).toContain('measure');
    const backwards = await call<{ errors: { field: string }[] }>('GET', '/api/metrics/counters/tickets?measure=received&from=2026-11-20&to=2026-11-01', undefined, leader);
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors[0].field).toBe('to');
    const badState = await call('GET', '/api/tickets?state=lost', undefined, leader);
    expect(badState.status).toBe(400);
  });
});
