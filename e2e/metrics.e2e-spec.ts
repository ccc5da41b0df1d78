import { departmentId } from '@hotline/contracts';
import { waitFor } from '@hotline/testing';
import { as, call, newTicket, tokenOf, uniquePhone } from './support/gateway-client';

const post = async (user: string, path: string, body: unknown = {}) => call<{ id: string; status: string }>('POST', path, body, await as(user));
const month = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);

interface Row {
  departmentId: string;
  departmentName: string | null;
  received: number;
  assigned: number;
  accepted: number;
  signedOnTime: number;
  closed: number;
  closedOnTime: number;
  returned: number;
  reopened: number;
  repeats: number;
  callbacksAnswered: number;
  satisfiedCallbacks: number;
  rates: Record<string, number | null>;
  score: number | null;
  colour: string | null;
}

async function types(id: string): Promise<string[]> {
  const t = await call<{ type: string }[]>('GET', `/api/tickets/${id}/timeline`, undefined, await as('supervisor'));
  return t.status === 200 ? t.body.map((e) => e.type) : [];
}

/** Takes a ticket of 城口县 to its reply and the reply's approval. */
async function repliedAndApproved(phone: string): Promise<string> {
  const { body } = await post('operator', '/api/tickets', newTicket({ regionCode: '500229', demandType: 'help', domain: 'employment', caller: { name: '城口', phone } }));
  await waitFor('assignment', async () => (await post('handler.500229', `/api/tickets/${body.id}/accept`)).status === 200);
  await waitFor('reply clock', async () => (await types(body.id)).filter((t) => t === 'ticket.sla-started').length === 2);
  await post('handler.500229', `/api/tickets/${body.id}/reply`, { content: '已办结。', outcome: 'resolved' });
  await waitFor('review', async () => (await post('supervisor', `/api/tickets/${body.id}/review`, { approved: true, comment: '' })).status === 200);
  return body.id;
}

describe('monthly department measures, score and five-colour grading (指标汇总)', () => {
  const cheng = departmentId('500229');
  let row: Row;
  let t1: string;
  let t2: string;
  let t3: string;

  beforeAll(async () => {
    const phone1 = uniquePhone();
    t1 = await repliedAndApproved(phone1);
    await post('operator', `/api/tickets/${t1}/callback`, { satisfaction: 'satisfied', note: '满意' });
    t2 = await repliedAndApproved(uniquePhone());
    await post('operator', `/api/tickets/${t2}/callback`, { satisfaction: 'unsatisfied', note: '不满意' });
    t3 = (await post('operator', '/api/tickets', newTicket({ regionCode: '500229', demandType: 'help', domain: 'employment' }))).body.id;
    await waitFor('t3 assigned', async () => (await post('handler.500229', `/api/tickets/${t3}/return`, { reason: '属丰都县' })).status === 200);
    await post('dispatcher', `/api/tickets/${t3}/return-decision`, { accept: true, departmentId: departmentId('500230'), reason: '改派丰都' });
    // The first caller calls again about the matter closed today: a repeat (并单) of t1.
    await waitFor('t1 closed in intake', async () => (await types(t1)).includes('ticket.closed'));
    const repeat = await post('operator', '/api/tickets', newTicket({ regionCode: '500229', caller: { name: '城口', phone: phone1 } }));
    expect((repeat.body as unknown as { outcome: string }).outcome).toBe('linked');
    row = await waitFor('the measures to settle', async () => {
      const answer = await call<{ items: Row[] }>('GET', `/api/metrics/departments?month=${month()}`, undefined, await as('leader'));
      const mine = answer.body.items.find((r) => r.departmentId === cheng);
      return mine && mine.repeats === 1 && mine.reopened === 1 && mine.returned === 1 && mine.callbacksAnswered === 2 ? mine : undefined;
    }, { timeoutMs: 20_000 });
  });

  it('counts every measure of DOMAIN.md exactly, from the events', () => {
    expect(row).toMatchObject({
      departmentName: '城口县人力社保局',
      received: 3,
      assigned: 3,
      accepted: 2,
      signedOnTime: 2,
      closed: 1,
      closedOnTime: 1,
      returned: 1,
      reopened: 1,
      repeats: 1,
      callbacksAnswered: 2,
      satisfiedCallbacks: 1,
    });
    expect(row.rates).toEqual({
      timelySignFor: 2 / 3,
      onTimeCompletion: 1,
      completion: 1 / 3,
      satisfaction: 0.5,
      returnRate: 1 / 3,
      reopenRate: 1,
      repeatRate: 1 / 3,
    });
    // 100 × (0.3 × 2/3 + 0.4 × 1 + 0.3 × 0.5) − 20 × 1 = 55 → red.
    expect(row).toMatchObject({ score: 55, colour: 'red' });
  });

  it('lists the tickets behind every number (drill-down)', async () => {
    const behind = async (measure: string) => {
      const answer = await call<{ items: { id: string }[] }>(
        'GET',
        `/api/metrics/departments/${cheng}/tickets?month=${month()}&measure=${measure}`,
        undefined,
        await as('leader'),
      );
      return answer.body.items.map((i) => i.id).sort();
    };
    expect(await behind('returned')).toEqual([t3]);
    expect(await behind('closed')).toEqual([t1]);
    expect(await behind('reopened')).toEqual([t2]);
    expect(await behind('accepted')).toEqual([t1, t2].sort());
    expect(await behind('received')).toEqual([t1, t2, t3].sort());
    expect((await call('GET', `/api/metrics/departments/${cheng}/tickets?month=${month()}&measure=everything`, undefined, await as('leader'))).status).toBe(400);
  });

  it('gives the overview of today, the month and what is open now', async () => {
    const overview = await call<{ today: { counts: Record<string, number> }; month: { counts: Record<string, number> }; now: Record<string, number> }>(
      'GET',
      '/api/metrics/overview',
      undefined,
      await as('leader'),
    );
    expect(overview.status).toBe(200);
    expect(overview.body.today.counts.received).toBeGreaterThanOrEqual(3);
    expect(overview.body.month.counts.received).toBeGreaterThanOrEqual(overview.body.today.counts.received);
    expect(overview.body.now.open).toBeGreaterThan(0);
    expect((await call('GET', '/api/metrics/overview', undefined, await as('handler.500229'))).status).toBe(403);
  });

  it('keeps a published month exactly as published after the formula changes', async () => {
    const published = await call<{ formulaVersion: number; published: boolean }>('POST', '/api/metrics/grading/publish', { month: month() }, await as('leader'));
    expect(published.status).toBe(201);
    expect((await call('POST', '/api/metrics/grading/publish', { month: month() }, await as('leader'))).status).toBe(409);
    expect((await call('POST', '/api/metrics/grading/publish', { month: month() }, await as('supervisor'))).status).toBe(403);
    const changed = await call<{ version: number }>(
      'PUT',
      '/api/admin/scoring-formula',
      { weights: { response: 0.2, resolution: 0.3, satisfaction: 0.5 }, reopenPenalty: 0, bands: [{ colour: 'dark-green', min: 95 }, { colour: 'light-green', min: 85 }, { colour: 'yellow', min: 75 }, { colour: 'orange', min: 60 }], note: '提高满意度权重' },
      await as('admin'),
    );
    expect(changed.body.version).toBe(published.body.formulaVersion + 1);
    const grading = await call<{ published: boolean; formulaVersion: number; departments: Row[] }>('GET', `/api/metrics/grading?month=${month()}`, undefined, await as('leader'));
    expect(grading.body).toMatchObject({ published: true, formulaVersion: published.body.formulaVersion });
    expect(grading.body.departments.find((d) => d.departmentId === cheng)).toMatchObject({ score: 55, colour: 'red' });
    const live = await call<{ formulaVersion: number; items: Row[] }>('GET', `/api/metrics/departments?month=${month()}`, undefined, await as('leader'));
    expect(live.body.formulaVersion).toBe(changed.body.version);
    // 100 × (0.2 × 2/3 + 0.3 × 1 + 0.5 × 0.5) = 68.33 → orange under the new bands.
    expect(live.body.items.find((d) => d.departmentId === cheng)).toMatchObject({ score: 68.33, colour: 'orange' });
  });

  it('exports the month’s department table as CSV with a byte-order mark and Chinese headers', async () => {
    const response = await fetch(`${process.env.E2E_GATEWAY_URL}/api/metrics/export?month=${month()}&format=csv`, {
      headers: { authorization: `Bearer ${await tokenOf('leader')}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toMatch(/^排名,承办单位,综合得分,五色等级,受理量/);
    expect(text).toContain('城口县人力社保局');
  });

  it('gives a measure day by day for a trend, with the days without any as 0', async () => {
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const twoDaysAgo = new Date(Date.now() + 8 * 3600_000 - 2 * 86_400_000).toISOString().slice(0, 10);
    const trend = await call<{ series: { day: string; value: number }[] }>(
      'GET',
      `/api/metrics/trends?from=${twoDaysAgo}&to=${today}&measure=received&dimension=region&key=500229`,
      undefined,
      await as('leader'),
    );
    expect(trend.body.series.map((p) => p.day)).toHaveLength(3);
    expect(trend.body.series.at(-1)).toEqual({ day: today, value: 3 });
    const backwards = await call<{ message: string[] }>('GET', `/api/metrics/trends?from=${today}&to=${twoDaysAgo}&measure=received`, undefined, await as('leader'));
    expect(backwards.status).toBe(400);
  });

  it('puts a department whose ticket came under 督办 for repeats on the bad list', async () => {
    const phone = uniquePhone();
    const original = (await post('operator', '/api/tickets', newTicket({ regionCode: '500229', caller: { name: '重复', phone } }))).body.id;
    await waitFor('its clock', async () => (await types(original)).includes('ticket.sla-started'));
    for (let i = 0; i < 3; i += 1) await post('operator', '/api/tickets', newTicket({ regionCode: '500229', caller: { name: '重复', phone } }));
    await waitFor('the 督办', async () => (await types(original)).includes('ticket.escalated'));
    const lists = await waitFor('the bad list', async () => {
      const answer = await call<{ good: { score: number }[]; bad: { departmentId: string; reasons: string[] }[] }>(
        'GET',
        `/api/metrics/lists?month=${month()}&size=3`,
        undefined,
        await as('leader'),
      );
      return answer.body.bad.some((b) => b.departmentId === cheng && b.reasons.some((r) => r.startsWith('repeats-supervised'))) ? answer.body : undefined;
    });
    expect(lists.good.length).toBeLessThanOrEqual(3);
    const scores = lists.good.map((g) => g.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('refuses a malformed month and a formula without bands, naming the field', async () => {
    const bad = await call<{ message: string[] }>('GET', '/api/metrics/departments?month=2026-13', undefined, await as('leader'));
    expect(bad.status).toBe(400);
    expect(bad.body.message[0]).toMatch(/^month:/);
    const noBands = await call<{ message: string[] }>('PUT', '/api/admin/scoring-formula', { weights: { response: 1, resolution: 0, satisfaction: 0 }, reopenPenalty: 0, bands: [], note: 'x' }, await as('admin'));
    expect(noBands.body.message[0]).toMatch(/^bands:/);
  });
});
