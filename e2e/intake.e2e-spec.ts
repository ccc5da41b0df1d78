import { waitFor } from '@hotline/testing';
import { Client } from 'pg';
import { as, call, newTicket, TimelineItem, uniquePhone } from './support/gateway-client';

interface Outcome {
  outcome: 'created' | 'linked';
  id: string;
  number: string;
  status?: string;
  repeatCount?: number;
  matchedOn?: string;
}

async function post(body: Record<string, unknown>, user = 'operator') {
  return call<Outcome>('POST', '/api/tickets', body, await as(user));
}

async function timeline(id: string, until: (items: TimelineItem[]) => boolean): Promise<TimelineItem[]> {
  return waitFor(`the timeline of ${id}`, async () => {
    const answer = await call<TimelineItem[]>('GET', `/api/tickets/${id}/timeline`, undefined, await as('supervisor'));
    return answer.status === 200 && until(answer.body) ? answer.body : undefined;
  });
}

/** The ticket's ticket.received (other services' events may be projected before it). */
async function receivedOf(id: string): Promise<TimelineItem> {
  const events = await timeline(id, (t) => t.some((e) => e.type === 'ticket.received'));
  return events.find((e) => e.type === 'ticket.received') as TimelineItem;
}

describe('intake from every channel, for every demand type', () => {
  const DEMAND_TYPES = ['consultation', 'help', 'complaint', 'report', 'suggestion', 'praise'];

  it.each(['phone', 'web', 'letter-visit'])('an operator records a %s demand of every type', async (channel) => {
    for (const demandType of DEMAND_TYPES) {
      const answer = await post(newTicket({ channel, demandType, domain: 'employment', categoryCode: 'JY.01.01' }));
      expect({ channel, demandType, status: answer.status, outcome: answer.body.outcome }).toEqual({
        channel,
        demandType,
        status: 201,
        outcome: 'created',
      });
      const received = await receivedOf(answer.body.id);
      expect(received.payload).toMatchObject({ channel, demandType, categoryCode: 'JY.01.01', disposition: 'dispatch' });
    }
  });

  it.each(['direct-report', 'partner', 'web'])('a %s channel records demands with its API key', async (channel) => {
    const key = await call<{ key: string }>('POST', '/api/admin/channel-keys', { name: `${channel} 测试`, channel }, await as('admin'));
    const answer = await call<Outcome>('POST', '/api/channel/tickets', newTicket({ demandType: 'help' }), { headers: { 'x-api-key': key.body.key } });
    expect(answer.status).toBe(201);
    const received = await receivedOf(answer.body.id);
    expect(received.payload.channel).toBe(channel);
    expect(received.actor.role).toBe('channel');
    const mismatch = await call<{ message: string[] }>('POST', '/api/channel/tickets', newTicket({ channel: 'letter-visit' }), {
      headers: { 'x-api-key': key.body.key },
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.message[0]).toMatch(/^channel:/);
  });

  it('keeps attachments, desired contact time and the full caller, and lists the category tree', async () => {
    const answer = await post(
      newTicket({
        attachments: [{ name: '工资条.jpg', reference: 'docstore:2026/11/abc' }],
        desiredContactTime: '工作日下午三点后',
        address: '渝中区解放碑街道民权路',
        caller: { name: '张三', phone: uniquePhone(), idNumber: '11010519491231002X' },
      }),
    );
    expect(answer.status).toBe(201);
    const received = await receivedOf(answer.body.id);
    expect(received.payload).toMatchObject({
      attachments: [{ name: '工资条.jpg', reference: 'docstore:2026/11/abc' }],
      desiredContactTime: '工作日下午三点后',
    });
    expect(JSON.stringify(received.payload)).not.toContain('11010519491231002X');
    const tree = await call<{ code: string; children: { children: unknown[] }[] }[]>('GET', '/api/categories', undefined, await as('operator'));
    expect(tree.body.map((n) => n.code)).toEqual(['JY', 'LD', 'QT', 'QX', 'RC', 'SB', 'SK', 'YS']);
    expect(tree.body[0].children[0].children.length).toBeGreaterThan(0);
  });

  it('answers a refused field in English and Chinese', async () => {
    const answer = await call<{ errors: { field: string; messageZh: string }[] }>(
      'POST',
      '/api/tickets',
      newTicket({ regionCode: '999999', caller: { name: '李四', phone: '123' } }),
      await as('operator'),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'regionCode', messageZh: '所属区县的取值不在允许范围内' }),
        expect.objectContaining({ field: 'caller.phone', messageZh: '联系电话格式不正确' }),
      ]),
    );
    const wrongCategory = await call<{ errors: { field: string; messageZh: string }[] }>(
      'POST',
      '/api/tickets',
      newTicket({ domain: 'wage-arrears', categoryCode: 'SB.02.01' }),
      await as('operator'),
    );
    expect(wrongCategory.body.errors).toEqual([expect.objectContaining({ field: 'categoryCode', messageZh: '诉求分类与业务领域不一致' })]);
  });
});

describe('answer on the call (即时办结)', () => {
  it('closes a consultation on the call without dispatching it', async () => {
    const answer = await post(
      newTicket({
        demandType: 'consultation',
        domain: 'social-insurance',
        categoryCode: 'SB.02.01',
        content: '咨询失业保险金怎么领',
        resolveOnCall: { answer: '可通过重庆人社App或就近公共就业服务机构申领失业保险金。' },
      }),
    );
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ outcome: 'created', status: 'resolved-on-call' });
    const events = await timeline(answer.body.id, (t) => t.length >= 2);
    expect(events.map((e) => e.type)).toEqual(['ticket.received', 'ticket.resolved-on-call']);
    // Give assignment every chance to (wrongly) dispatch it, then check it did not.
    await new Promise((r) => setTimeout(r, 1500));
    const after = await call<TimelineItem[]>('GET', `/api/tickets/${answer.body.id}/timeline`, undefined, await as('supervisor'));
    expect(after.body.map((e) => e.type)).toEqual(['ticket.received', 'ticket.resolved-on-call']);
    const view = await call<{ status: string; departmentId: string | null }>('GET', `/api/tickets/${answer.body.id}`, undefined, await as('supervisor'));
    expect(view.body).toMatchObject({ status: 'resolved-on-call', departmentId: null });
  });
});

describe('repeat demands (并单)', () => {
  it('three calls from one phone give one dispatched ticket with repeat count 2', async () => {
    const phone = uniquePhone();
    const body = () => newTicket({ caller: { name: '赵师傅', phone }, content: '第几次来电了，工资还是没发' });
    const first = await post(body());
    const second = await post(body());
    const third = await post(body());
    expect(first.body.outcome).toBe('created');
    expect([second.body, third.body]).toEqual([
      expect.objectContaining({ outcome: 'linked', id: first.body.id, number: first.body.number, repeatCount: 1, matchedOn: 'caller' }),
      expect.objectContaining({ outcome: 'linked', id: first.body.id, repeatCount: 2 }),
    ]);
    const events = await timeline(first.body.id, (t) => t.filter((e) => e.type === 'ticket.repeat-linked').length === 2 && t.some((e) => e.type === 'ticket.assigned'));
    expect(events.filter((e) => e.type === 'ticket.assigned')).toHaveLength(1);
    const view = await waitFor('repeat count 2 on the original', async () => {
      const v = await call<{ flags: { repeatCount: number } }>('GET', `/api/tickets/${first.body.id}`, undefined, await as('supervisor'));
      return v.body.flags.repeatCount === 2 ? v.body : undefined;
    });
    expect(view.flags.repeatCount).toBe(2);
  });

  it('links different callers about the same employer and matter, however the name is written', async () => {
    const first = await post(newTicket({ employerName: '重庆渝兴建筑劳务有限公司', domain: 'wage-arrears' }));
    const other = await post(newTicket({ employerName: '渝兴建筑劳务公司', domain: 'wage-arrears' }));
    expect(other.body).toMatchObject({ outcome: 'linked', id: first.body.id, matchedOn: 'employer' });
    const differentMatter = await post(newTicket({ employerName: '渝兴建筑劳务公司', domain: 'labour-relations' }));
    expect(differentMatter.body.outcome).toBe('created');
  });

  it('shows the candidates while typing, links to the chosen one, and lets the operator override with a reason', async () => {
    const phone = uniquePhone();
    const original = await post(newTicket({ caller: { name: '钱女士', phone } }));
    const candidates = await call<{ id: string; number: string; matchedOn: string }[]>(
      'POST',
      '/api/intake/repeat-candidates',
      { phone },
      await as('operator'),
    );
    expect(candidates.body).toEqual([expect.objectContaining({ id: original.body.id, matchedOn: 'caller' })]);
    expect(JSON.stringify(candidates.body)).not.toContain(phone);
    const chosen = await post(newTicket({ caller: { name: '钱女士', phone }, repeatOf: original.body.id }));
    expect(chosen.body).toMatchObject({ outcome: 'linked', id: original.body.id });
    const wrong = await post(newTicket({ caller: { name: '钱女士', phone }, repeatOf: '01a20594-0000-7000-8000-000000000abc' }));
    expect(wrong.status).toBe(404);
    const overridden = await post(newTicket({ caller: { name: '钱女士', phone }, content: '另一件事：社保卡丢了', repeatOverride: { reason: '不同事项' } }));
    expect(overridden.body.outcome).toBe('created');
    expect(overridden.body.id).not.toBe(original.body.id);
  });
});

describe('repeats of open and recently closed tickets', () => {
  async function sql(text: string, params: unknown[]): Promise<void> {
    const client = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await client.connect();
    try {
      await client.query(text, params);
    } finally {
      await client.end();
    }
  }

  async function closedAt(id: string): Promise<Date | null> {
    const client = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT closed_at FROM intake.ticket WHERE id = $1', [id]);
      return rows[0]?.closed_at ?? null;
    } finally {
      await client.end();
    }
  }

  it('links to a ticket still open however old, and not to one closed long ago', async () => {
    const phone = uniquePhone();
    const old = await post(newTicket({ caller: { name: '老问题', phone } }));
    // Received 40 days ago and still open: a repeat all the same.
    await sql(`UPDATE intake.ticket SET received_at = now() - interval '40 days' WHERE id = $1`, [old.body.id]);
    expect((await post(newTicket({ caller: { name: '老问题', phone } }))).body).toMatchObject({ outcome: 'linked', id: old.body.id });
    // Closed 40 days ago: a new demand is a new ticket.
    await sql(`UPDATE intake.ticket SET closed_at = now() - interval '40 days' WHERE id = $1`, [old.body.id]);
    const fresh = await post(newTicket({ caller: { name: '老问题', phone } }));
    expect(fresh.body.outcome).toBe('created');
  });

  it('learns closure from supervision: a ticket closed today still takes repeats', async () => {
    const phone = uniquePhone();
    const ticket = await post(newTicket({ regionCode: '500152', demandType: 'help', domain: 'employment', caller: { name: '刚办结', phone } }));
    const id = ticket.body.id;
    await timeline(id, (t) => t.some((e) => e.type === 'ticket.sla-started'));
    await call('POST', `/api/tickets/${id}/accept`, {}, await as('handler.500152'));
    await waitFor('the reply', async () => (await call('POST', `/api/tickets/${id}/reply`, { content: '已办', outcome: 'resolved' }, await as('handler.500152'))).status === 200);
    await waitFor('the review', async () => (await call('POST', `/api/tickets/${id}/review`, { approved: true, comment: '' }, await as('supervisor'))).status === 200);
    await call('POST', `/api/tickets/${id}/callback`, { satisfaction: 'satisfied', note: '' }, await as('operator'));
    await timeline(id, (t) => t.some((e) => e.type === 'ticket.closed'));
    await waitFor('intake to learn of the closure', async () => (await closedAt(id)) !== null);
    expect((await post(newTicket({ caller: { name: '刚办结', phone } }))).body).toMatchObject({ outcome: 'linked', id });
  });
});

describe('supplements, refusals and the operator’s desk', () => {
  it('adds information to an open ticket, visible to the department’s handler', async () => {
    const ticket = await post(newTicket({ regionCode: '500103' }));
    await timeline(ticket.body.id, (t) => t.some((e) => e.type === 'ticket.assigned'));
    const added = await call('POST', `/api/tickets/${ticket.body.id}/supplements`, {
      content: '补充：拖欠的是2026年9月至10月工资',
      attachments: [{ name: '考勤.pdf', reference: 'docstore:xyz' }],
    }, await as('operator'));
    expect(added.status).toBe(201);
    const seen = await waitFor('the handler to see the supplement', async () => {
      const t = await call<TimelineItem[]>('GET', `/api/tickets/${ticket.body.id}/timeline`, undefined, await as('handler.500103'));
      return t.body.find((e) => e.type === 'ticket.supplemented');
    });
    expect(seen.payload).toMatchObject({ content: '补充：拖欠的是2026年9月至10月工资' });
    expect((await call('POST', `/api/tickets/${ticket.body.id}/supplements`, { content: '' }, await as('operator'))).status).toBe(400);
    expect((await call('POST', '/api/tickets/01a20594-0000-7000-8000-000000000abc/supplements', { content: '无' }, await as('operator'))).status).toBe(404);
  });

  it('refuses out-of-scope demands with a referral, and records the refusal', async () => {
    const refused = await call<{ referral: string }>(
      'POST',
      '/api/intake/refusals',
      { kind: 'emergency', content: '工地有人受伤昏迷', regionCode: '500112', callerPhone: uniquePhone() },
      await as('operator'),
    );
    expect(refused.status).toBe(201);
    expect(refused.body.referral).toMatch(/120/);
    const list = await call<{ kind: string; content: string }[]>('GET', '/api/intake/refusals', undefined, await as('supervisor'));
    expect(list.body.some((r) => r.kind === 'emergency' && r.content === '工地有人受伤昏迷')).toBe(true);
    expect((await call('POST', '/api/intake/refusals', { kind: 'weather', content: 'x' }, await as('operator'))).status).toBe(400);
    expect((await call('GET', '/api/intake/refusals', undefined, await as('operator'))).status).toBe(403);
  });

  it('lists my tickets today, finds one by number and by phone, with callers masked', async () => {
    const phone = uniquePhone();
    const created = await post(newTicket({ caller: { name: '孙先生', phone } }));
    const mine = await call<{ items: { id: string; caller: { phone: string } }[] }>('GET', '/api/intake/tickets?mine=true', undefined, await as('operator'));
    expect(mine.body.items.some((t) => t.id === created.body.id)).toBe(true);
    const byNumber = await call<{ items: { id: string }[] }>('GET', `/api/intake/tickets?number=${created.body.number}`, undefined, await as('operator'));
    expect(byNumber.body.items.map((t) => t.id)).toEqual([created.body.id]);
    const byPhone = await call<{ items: { id: string; caller: { phone: string } }[] }>('POST', '/api/intake/tickets/search', { phone }, await as('operator'));
    expect(byPhone.body.items.map((t) => t.id)).toEqual([created.body.id]);
    expect(byPhone.body.items[0].caller.phone).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    expect(JSON.stringify(mine.body)).not.toContain(phone);
  });
});
