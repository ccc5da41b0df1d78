import { waitFor } from '@hotline/testing';
import { Client } from 'pg';
import { as, call, handler, newTicket, TimelineItem, tokenOf } from './support/gateway-client';

async function post(user: string, path: string, body: unknown = {}) {
  return call<{ status: string; events: string[]; message: string[] }>('POST', path, body, await as(user));
}

async function timeline(id: string, until: (types: string[]) => boolean): Promise<TimelineItem[]> {
  return waitFor(`the timeline of ${id}`, async () => {
    const t = await call<TimelineItem[]>('GET', `/api/tickets/${id}/timeline`, undefined, await as('supervisor'));
    return t.status === 200 && until(t.body.map((e) => e.type)) ? t.body : undefined;
  });
}

async function runningClocks(ticketId: string): Promise<string[]> {
  const client = new Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT kind FROM supervision.sla_clock WHERE ticket_id = $1 AND status = 'running'`, [ticketId]);
    return rows.map((r: { kind: string }) => r.kind);
  } finally {
    await client.end();
  }
}

/** A ticket of `region` taken through to the handler's reply. */
async function repliedTicket(region: string): Promise<string> {
  const created = await post('operator', '/api/tickets', newTicket({ regionCode: region, demandType: 'help', domain: 'employment' }));
  const id = (created.body as unknown as { id: string }).id;
  await timeline(id, (t) => t.includes('ticket.sla-started'));
  expect((await post(handler(region), `/api/tickets/${id}/accept`)).status).toBe(200);
  await timeline(id, (t) => t.filter((x) => x === 'ticket.sla-started').length === 2);
  expect((await post(handler(region), `/api/tickets/${id}/reply`, { content: '已协调解决。', outcome: 'resolved' })).status).toBe(200);
  return id;
}

describe('review, call-back and closure (审核 → 回访 → 办结)', () => {
  it('closes the loop when the citizen is satisfied', async () => {
    const id = await repliedTicket('500115');
    const reviewed = await waitFor('the review to be accepted', async () => {
      const r = await post('supervisor', `/api/tickets/${id}/review`, { approved: true, comment: '答复规范' });
      return r.status === 200 ? r : undefined;
    });
    expect(reviewed.body).toMatchObject({ status: 'awaiting-callback', events: ['ticket.reply-reviewed', 'ticket.sla-started'] });
    // The call-back clock (回访时限): 1 working day from the approval, for the call-back desk.
    expect(await runningClocks(id)).toEqual(['callback']);
    const started = await timeline(id, (t) => t.filter((x) => x === 'ticket.sla-started').length === 3);
    const callbackClock = started.filter((e) => e.type === 'ticket.sla-started').at(-1) as TimelineItem;
    const approvedAt = started.find((e) => e.type === 'ticket.reply-reviewed')?.occurredAt as string;
    expect(callbackClock.payload).toMatchObject({ clock: 'callback', startedAt: approvedAt, limit: { amount: 1, unit: 'working-days' } });
    const dl = await call<{ deadline: string }>('GET', `/api/calendar/deadline?from=${encodeURIComponent(approvedAt)}&amount=1&unit=working-days`, undefined, await as('supervisor'));
    expect(Date.parse(callbackClock.payload.deadline as string)).toBe(Date.parse(dl.body.deadline));
    // The department's inbox keeps its reply deadline: the call-back clock is not its step.
    const replyClock = started.filter((e) => e.type === 'ticket.sla-started' && e.payload.clock === 'reply').at(-1) as TimelineItem;
    const assignment = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await assignment.connect();
    try {
      await waitFor('assignment to read the call-back clock', async () => {
        const { rows } = await assignment.query(`SELECT 1 FROM assignment.processed_event WHERE event_id = $1`, [callbackClock.eventId]);
        return rows.length > 0;
      });
      const { rows } = await assignment.query(`SELECT reply_deadline FROM assignment.ticket_assignment WHERE ticket_id = $1`, [id]);
      expect((rows[0] as { reply_deadline: Date }).reply_deadline.getTime()).toBe(Date.parse(replyClock.payload.deadline as string));
    } finally {
      await assignment.end();
    }
    expect((await post('supervisor', `/api/tickets/${id}/review`, { approved: true, comment: '再审' })).status).toBe(409);
    const callbacks = await call<{ items: { id: string; deadline: string | null; overdue: boolean }[] }>('GET', '/api/supervision/callbacks', undefined, await as('operator'));
    const listed = callbacks.body.items.find((i) => i.id === id);
    expect(listed).toMatchObject({ overdue: false });
    expect(Date.parse(listed?.deadline as string)).toBe(Date.parse(callbackClock.payload.deadline as string));
    // The nearest call-back deadline first; those answered on the call (none) last.
    const deadlines = callbacks.body.items.map((i) => (i.deadline ? Date.parse(i.deadline) : Infinity));
    expect(deadlines).toEqual([...deadlines].sort((a, b) => a - b));
    const closed = await post('operator', `/api/tickets/${id}/callback`, { satisfaction: 'satisfied', note: '群众表示满意' });
    expect(closed.body).toMatchObject({ status: 'closed', events: ['ticket.callback-recorded', 'ticket.closed'] });
    expect(await runningClocks(id)).toEqual([]);
    const events = await timeline(id, (t) => t.includes('ticket.closed'));
    expect(events.map((e) => e.type).slice(-4)).toEqual(['ticket.reply-reviewed', 'ticket.sla-started', 'ticket.callback-recorded', 'ticket.closed']);
    expect(new Set(events.map((e) => e.correlationId)).size).toBe(1);
    await waitFor('the view to show it closed', async () => {
      const v = await call<{ status: string }>('GET', `/api/tickets/${id}`, undefined, await as('leader'));
      return v.body.status === 'closed';
    });
  });

  it('sends a rejected reply back to the handler', async () => {
    const id = await repliedTicket('500116');
    await waitFor('review', async () => (await post('supervisor', `/api/tickets/${id}/review`, { approved: false, comment: '未说明办理结果' })).status === 200);
    // The reply clock runs on against its original deadline while the handler replies again.
    expect(await runningClocks(id)).toEqual(['reply']);
    await waitFor('the handler to have it again', async () => (await post(handler('500116'), `/api/tickets/${id}/reply`, { content: '已办结，补贴已发放。', outcome: 'resolved' })).status === 200);
  });

  it('reopens to the same department when unsatisfied (重办), with a new sign-for clock', async () => {
    const id = await repliedTicket('500117');
    await waitFor('review', async () => (await post('supervisor', `/api/tickets/${id}/review`, { approved: true, comment: '' })).status === 200);
    const answer = await post('operator', `/api/tickets/${id}/callback`, { satisfaction: 'unsatisfied', note: '补贴仍未到账' });
    expect(answer.body).toMatchObject({ status: 'handling', events: ['ticket.callback-recorded', 'ticket.reopened', 'ticket.sla-started'] });
    // The call-back clock stopped; the department's sign-for clock runs again.
    expect(await runningClocks(id)).toEqual(['sign-for']);
    await waitFor('the handler to sign for it again', async () => (await post(handler('500117'), `/api/tickets/${id}/accept`)).status === 200);
  });

  it('closes as unreachable after three failed call-backs', async () => {
    const id = await repliedTicket('500118');
    await waitFor('review', async () => (await post('supervisor', `/api/tickets/${id}/review`, { approved: true, comment: '' })).status === 200);
    expect((await post('operator', `/api/tickets/${id}/callback`, { satisfaction: 'unreachable', note: '无人接听' })).body.status).toBe('awaiting-callback');
    expect((await post('operator', `/api/tickets/${id}/callback`, { satisfaction: 'unreachable', note: '关机' })).body.status).toBe('awaiting-callback');
    expect(await runningClocks(id)).toEqual(['callback']); // tried again against the same deadline
    const third = await post('operator', `/api/tickets/${id}/callback`, { satisfaction: 'unreachable', note: '仍无人接听' });
    expect(third.body).toMatchObject({ status: 'closed', events: ['ticket.callback-recorded', 'ticket.closed'] });
    const events = await timeline(id, (t) => t.includes('ticket.closed'));
    expect(events.at(-1)?.payload.outcome).toBe('unreachable');
  });

  it('calls back a consultation answered on the call', async () => {
    const created = await post('operator', '/api/tickets', newTicket({
      demandType: 'consultation',
      domain: 'social-insurance',
      resolveOnCall: { answer: '养老保险关系转移可在国家社会保险公共服务平台申请。' },
    }));
    const id = (created.body as unknown as { id: string }).id;
    const closed = await waitFor('the call-back to be possible', async () => {
      const r = await post('operator', `/api/tickets/${id}/callback`, { satisfaction: 'basically-satisfied', note: '' });
      return r.status === 200 ? r : undefined;
    });
    expect(closed.body.status).toBe('closed');
  });
});

describe('extensions, urging and the board', () => {
  it('approves an extension within the 10-working-day cap and moves the reply deadline', async () => {
    const created = await post('operator', '/api/tickets', newTicket({ regionCode: '500119', demandType: 'complaint' }));
    const id = (created.body as unknown as { id: string }).id;
    await timeline(id, (t) => t.includes('ticket.sla-started'));
    await post(handler('500119'), `/api/tickets/${id}/accept`);
    await timeline(id, (t) => t.filter((x) => x === 'ticket.sla-started').length === 2);
    await post(handler('500119'), `/api/tickets/${id}/extension-requests`, { workingDays: 8, reason: '需调取考勤' });
    const requested = await timeline(id, (t) => t.includes('ticket.extension-requested'));
    const requestId = requested.find((e) => e.type === 'ticket.extension-requested')?.payload.requestId as string;
    // The supervisor finds it among the requests to decide.
    const pending = await waitFor('the pending request listed', async () => {
      const r = await call<{ items: { id: string; kind: string; ticketId: string; workingDays: number }[] }>('GET', '/api/supervision/requests', undefined, {
        token: await tokenOf('supervisor'),
      });
      return r.body.items.find((i) => i.id === requestId);
    });
    expect(pending).toMatchObject({ kind: 'extension', ticketId: id, workingDays: 8 });
    const decided = await waitFor('the decision', async () => {
      const r = await post('supervisor', `/api/extension-requests/${requestId}/decision`, { approved: true, comment: '同意' });
      return r.status === 200 ? r : undefined;
    });
    expect(decided.body.events).toEqual(['ticket.extension-decided']);
    expect((await post('supervisor', `/api/extension-requests/${requestId}/decision`, { approved: true, comment: '再批' })).status).toBe(409);
    const approved = await call<{ items: { id: string }[] }>('GET', '/api/supervision/requests?status=approved&kind=extension', undefined, {
      token: await tokenOf('supervisor'),
    });
    expect(approved.body.items.map((i) => i.id)).toContain(requestId);
    const stillPending = await call<{ items: { id: string }[] }>('GET', '/api/supervision/requests', undefined, { token: await tokenOf('supervisor') });
    expect(stillPending.body.items.map((i) => i.id)).not.toContain(requestId);
    const events = await timeline(id, (t) => t.includes('ticket.extension-decided'));
    const replyClock = events.filter((e) => e.type === 'ticket.sla-started').at(-1)?.payload.deadline as string;
    const extended = events.find((e) => e.type === 'ticket.extension-decided')?.payload.replyDeadline as string;
    expect(Date.parse(extended)).toBeGreaterThan(Date.parse(replyClock));
    // Assignment learns of the decision through the bus; until then a new request is refused as pending.
    await waitFor('a second request to be taken', async () =>
      (await post(handler('500119'), `/api/tickets/${id}/extension-requests`, { workingDays: 5, reason: '仍需时间' })).status === 201);
    const second = (await timeline(id, (t) => t.filter((x) => x === 'ticket.extension-requested').length === 2))
      .filter((e) => e.type === 'ticket.extension-requested')
      .at(-1)?.payload.requestId as string;
    const overCap = await waitFor('the over-cap decision', async () => {
      const r = await post('supervisor', `/api/extension-requests/${second}/decision`, { approved: true, comment: '' });
      return r.status !== 404 ? r : undefined;
    });
    expect(overCap.status).toBe(409);
    expect(overCap.body.message[0]).toMatch(/^workingDays: 13 working days/);
  });

  it('urges and supervises by hand; the board shows the escalated ticket first', async () => {
    const created = await post('operator', '/api/tickets', newTicket({ regionCode: '500120' }));
    const id = (created.body as unknown as { id: string }).id;
    await timeline(id, (t) => t.includes('ticket.sla-started'));
    expect((await post('supervisor', `/api/tickets/${id}/urge`, { note: '请今日内联系来电人' })).body.events).toEqual(['ticket.urged']);
    const supervised = await post('supervisor', `/api/tickets/${id}/supervise`, { note: '涉及群体欠薪，从严督办' });
    expect(supervised.body.events).toEqual(['ticket.escalated']);
    expect((await post('operator', `/api/tickets/${id}/supervise`, { note: 'x' })).status).toBe(403);
    const board = await call<{ items: { id: string; escalationLevel: number }[] }>('GET', '/api/supervision/board?regionCode=500120', undefined, await as('leader'));
    expect(board.body.items[0]).toMatchObject({ id, escalationLevel: 2 });
    const events = await timeline(id, (t) => t.includes('ticket.escalated'));
    expect(events.find((e) => e.type === 'ticket.escalated')?.payload).toMatchObject({ level: 2, reason: 'manual' });
    expect(String(events.find((e) => e.type === 'ticket.escalated')?.payload.notice)).toContain('督办');
    const view = await waitFor('the view flags', async () => {
      const v = await call<{ flags: { escalationLevel: number } }>('GET', `/api/tickets/${id}`, undefined, await as('leader'));
      return v.body.flags.escalationLevel === 2 ? v.body : undefined;
    });
    expect(view.flags.escalationLevel).toBe(2);
  });

  it('puts the original under 督办 when the same demand comes a third time', async () => {
    const phone = `136${String(Date.now() % 100_000_000).padStart(8, '0')}`;
    const body = () => newTicket({ regionCode: '500151', caller: { name: '吴师傅', phone } });
    const first = await post('operator', '/api/tickets', body());
    const id = (first.body as unknown as { id: string }).id;
    await timeline(id, (t) => t.includes('ticket.sla-started'));
    for (let i = 0; i < 3; i += 1) await post('operator', '/api/tickets', body());
    const events = await timeline(id, (t) => t.includes('ticket.escalated'));
    expect(events.find((e) => e.type === 'ticket.escalated')?.payload).toMatchObject({ level: 2, reason: 'repeats' });
  });
});

describe('SLA policy as versioned data, and replaying clocks after a correction', () => {
  it('publishes a new policy version that new clocks use and record', async () => {
    const before = await call<{ currentVersion: number }>('GET', '/api/admin/sla-policies', undefined, await as('supervisor'));
    expect(before.status).toBe(200);
    const rule = { demandType: 'praise', urgency: 'normal', signFor: { amount: 2, unit: 'working-days' }, reply: { amount: 20, unit: 'working-days' }, warningFraction: 0.8 };
    expect((await call('PUT', '/api/admin/sla-policies', { rules: [rule], note: '表扬类放宽' }, await as('supervisor'))).status).toBe(403);
    const duplicate = await call<{ message: string[] }>('PUT', '/api/admin/sla-policies', { rules: [rule, rule], note: 'x' }, await as('admin'));
    expect(duplicate.status).toBe(400);
    const bad = await call<{ message: string[] }>('PUT', '/api/admin/sla-policies', { rules: [{ ...rule, warningFraction: 1.5 }], note: 'x' }, await as('admin'));
    expect(bad.body.message[0]).toMatch(/^rules\.0\.warningFraction:/);
    const published = await call<{ version: number }>('PUT', '/api/admin/sla-policies', { rules: [rule], note: '表扬类放宽' }, await as('admin'));
    expect(published.body.version).toBe(before.body.currentVersion + 1);
    const created = await post('operator', '/api/tickets', newTicket({ regionCode: '500153', demandType: 'praise', domain: 'other' }));
    const id = (created.body as unknown as { id: string }).id;
    // domain "other" waits for the dispatcher; dispatch it so a clock starts.
    const dispatched = await waitFor('dispatch', async () => {
      const deps = await call<{ id: string; code: string }[]>('GET', '/api/departments', undefined, await as('dispatcher'));
      const target = deps.body.find((d) => d.code === '500153') as { id: string };
      const r = await post('dispatcher', `/api/tickets/${id}/dispatch`, { departmentId: target.id, reason: '属地承办' });
      return r.status === 200 ? r : undefined;
    });
    expect(dispatched.body.status).toBe('assigned');
    const events = await timeline(id, (t) => t.includes('ticket.sla-started'));
    expect(events.find((e) => e.type === 'ticket.sla-started')?.payload).toMatchObject({
      limit: { amount: 2, unit: 'working-days' },
      policyVersion: published.body.version,
    });
  });

  it('recomputes open clocks after a calendar correction and reports what moved', async () => {
    const created = await post('operator', '/api/tickets', newTicket({ regionCode: '500154', demandType: 'help' }));
    const id = (created.body as unknown as { id: string }).id;
    const started = (await timeline(id, (t) => t.includes('ticket.sla-started'))).find((e) => e.type === 'ticket.sla-started');
    const deadline = started?.payload.deadline as string;
    // Make the deadline's day a local holiday (a correction the bureau publishes late).
    const day = deadline.slice(0, 10);
    const override = { date: day, kind: 'holiday', name: '地方假日（测试）', reason: '回放测试' };
    expect((await call('PUT', '/api/admin/calendar', { overrides: [override] }, await as('admin'))).status).toBe(200);
    try {
      const dry = await post('admin', '/api/admin/sla-clocks/recompute', { dryRun: true, reason: '地方假日更正' });
      const mine = (dry.body as unknown as { moved: { ticketId: string; from: string; to: string }[] }).moved.find((m) => m.ticketId === id);
      expect(mine?.from).toBe(deadline);
      expect(Date.parse(mine?.to as string)).toBeGreaterThan(Date.parse(deadline));
      expect((await timeline(id, () => true)).some((e) => e.type === 'ticket.sla-recomputed')).toBe(false);
      await post('admin', '/api/admin/sla-clocks/recompute', { dryRun: false, reason: '地方假日更正' });
      const recomputed = (await timeline(id, (t) => t.includes('ticket.sla-recomputed'))).find((e) => e.type === 'ticket.sla-recomputed');
      expect(recomputed?.payload).toMatchObject({ previousDeadline: deadline, deadline: mine?.to, reason: '地方假日更正' });
    } finally {
      await call('PUT', '/api/admin/calendar', { overrides: [{ ...override, active: false }] }, await as('admin'));
      await post('admin', '/api/admin/sla-clocks/recompute', { dryRun: false, reason: '撤销测试假日' });
    }
  });
});

describe('pausing the clock while the citizen’s materials are awaited (暂停计时)', () => {
  it('stops the clock on approval and gives its time back when the citizen supplements the ticket', async () => {
    const created = await post('operator', '/api/tickets', newTicket({ regionCode: '500155', demandType: 'help', domain: 'employment' }));
    const id = (created.body as unknown as { id: string }).id;
    await timeline(id, (t) => t.includes('ticket.sla-started'));
    await post(handler('500155'), `/api/tickets/${id}/accept`);
    await timeline(id, (t) => t.filter((x) => x === 'ticket.sla-started').length === 2);
    expect((await post(handler('500155'), `/api/tickets/${id}/pause-requests`, { reason: '等待群众提供劳动合同' })).status).toBe(201);
    const requestId = (await timeline(id, (t) => t.includes('ticket.pause-requested'))).find((e) => e.type === 'ticket.pause-requested')
      ?.payload.requestId as string;
    const decided = await waitFor('the pause decision', async () => {
      const r = await post('supervisor', `/api/pause-requests/${requestId}/decision`, { approved: true, comment: '同意暂停' });
      return r.status === 200 ? r : undefined;
    });
    expect(decided.body.events).toEqual(['ticket.pause-decided']);
    expect((await post('supervisor', `/api/pause-requests/${requestId}/decision`, { approved: true, comment: '' })).status).toBe(409);
    // Paused clocks are not on the board's running list and cannot be extended meanwhile.
    const supplement = await call('POST', `/api/tickets/${id}/supplements`, { content: '群众已补充劳动合同复印件' }, await as('operator'));
    expect(supplement.status).toBe(201);
    const events = await timeline(id, (t) => t.includes('ticket.sla-recomputed'));
    const resumed = events.find((e) => e.type === 'ticket.sla-recomputed')?.payload;
    expect(resumed?.reason).toBe('恢复计时：群众已补充材料');
    // The same working time is left; the instant may be written differently (a Friday 17:30 close
    // and the next Monday 09:00 opening are the same point in working time).
    expect(Date.parse(resumed?.deadline as string)).toBeGreaterThan(Date.now());
    expect(Math.abs(Date.parse(resumed?.deadline as string) - Date.parse(resumed?.previousDeadline as string))).toBeLessThan(4 * 24 * 3600_000);
    await waitFor('the inbox to show the new deadline', async () => {
      const inbox = await call<{ items: { id: string; due: string }[] }>('GET', '/api/assignment/inbox', undefined, await as(handler('500155')));
      return inbox.body.items.find((i) => i.id === id)?.due === resumed?.deadline;
    });
    expect((await post('supervisor', `/api/tickets/${id}/resume`, { note: '再恢复' })).status).toBe(409);
  });
});
