import { createEvent, departmentId, EventPayload, EventType, serializeEvent, toOffsetIso, Topics, uuidv7 } from '@hotline/contracts';
import { publishRaw, waitFor } from '@hotline/testing';
import { as, call, handler, newTicket, TimelineItem } from './support/gateway-client';

interface InboxItem {
  id: string;
  status: string;
  role: 'main' | 'co';
  due: string | null;
  note: string | null;
  coHandlingDone?: boolean;
}

async function createTicket(overrides: Record<string, unknown> = {}): Promise<string> {
  const answer = await call<{ id: string; outcome: string }>('POST', '/api/tickets', newTicket(overrides), await as('operator'));
  expect(answer.body.outcome).toBe('created');
  return answer.body.id;
}

async function inboxItem(user: string, id: string, until: (i: InboxItem) => boolean = () => true): Promise<InboxItem> {
  return waitFor(`${id} in the inbox of ${user}`, async () => {
    const inbox = await call<{ items: InboxItem[] }>('GET', '/api/assignment/inbox', undefined, await as(user));
    const item = inbox.body.items.find((i) => i.id === id);
    return item && until(item) ? item : undefined;
  });
}

async function act(user: string, id: string, action: string, body?: unknown) {
  return call<{ status: string; message: string[] }>('POST', `/api/tickets/${id}/${action}`, body ?? {}, await as(user));
}

async function timelineTypes(id: string, until: (types: string[]) => boolean): Promise<TimelineItem[]> {
  return waitFor(`the timeline of ${id}`, async () => {
    const t = await call<TimelineItem[]>('GET', `/api/tickets/${id}/timeline`, undefined, await as('supervisor'));
    return t.status === 200 && until(t.body.map((e) => e.type)) ? t.body : undefined;
  });
}

/** Supervision's events are written onto the real topic, as the supervision service will. */
async function fromSupervision<T extends EventType>(type: T, ticketId: string, payload: EventPayload<T>): Promise<void> {
  const event = createEvent(type, payload, { ticketId });
  await publishRaw(`${process.env.E2E_KAFKA_NAMESPACE}${Topics.supervisionEvents}`, [{ key: ticketId, value: serializeEvent(event) }]);
}

describe('the department’s inbox and actions', () => {
  let id: string;

  beforeAll(async () => {
    id = await createTicket({ regionCode: '500106', demandType: 'help', domain: 'social-security-card' });
  });

  it('shows the new ticket to 沙坪坝区 with its sign-for deadline', async () => {
    const item = await inboxItem(handler('500106'), id, (i) => i.due !== null);
    expect(item).toMatchObject({ status: 'assigned', role: 'main' });
  });

  it('refuses actions out of order, by the wrong department or by the wrong role', async () => {
    await inboxItem(handler('500106'), id);
    expect((await act(handler('500106'), id, 'reply', { content: '已处理', outcome: 'resolved' })).status).toBe(409);
    expect((await act(handler('500103'), id, 'accept')).status).toBe(404);
    expect((await act('operator', id, 'accept')).status).toBe(403);
    expect((await act(handler('500106'), id, 'extension-requests', { workingDays: 3, reason: '需调查' })).status).toBe(409);
    expect((await act('dispatcher', id, 'return-decision', { accept: false, reason: 'x' })).status).toBe(409);
  });

  it('signs for it, asks for time and a pause, replies — one event each — and refuses a second reply', async () => {
    const signForDue = (await inboxItem(handler('500106'), id, (i) => i.due !== null)).due;
    const accepted = await act(handler('500106'), id, 'accept');
    expect(accepted.body.status).toBe('accepted');
    expect((await act(handler('500106'), id, 'accept')).status).toBe(409);
    // Supervision starts the reply clock: the inbox shows the reply deadline.
    await inboxItem(handler('500106'), id, (i) => i.due !== signForDue && i.due !== null);
    expect((await act(handler('500106'), id, 'extension-requests', { workingDays: 3, reason: '需调取社保卡制卡记录' })).status).toBe(201);
    expect((await act(handler('500106'), id, 'extension-requests', { workingDays: 2, reason: '再延' })).status).toBe(409);
    expect((await act(handler('500106'), id, 'extension-requests', { workingDays: 11, reason: '太久' })).status).toBe(400);
    // Supervision grants the extension: the inbox shows the new reply deadline.
    const requested = await timelineTypes(id, (t) => t.includes('ticket.extension-requested'));
    const requestId = requested.find((e) => e.type === 'ticket.extension-requested')?.payload.requestId as string;
    await fromSupervision('ticket.extension-decided', id, {
      requestId,
      approved: true,
      replyDeadline: '2027-01-08T17:30:00.000+08:00',
      comment: '同意延期3个工作日',
    });
    await inboxItem(handler('500106'), id, (i) => i.due === '2027-01-08T17:30:00.000+08:00');
    expect((await act(handler('500106'), id, 'extension-requests', { workingDays: 2, reason: '仍需时间' })).status).toBe(201);
    expect((await act(handler('500106'), id, 'pause-requests', { reason: '等待群众提供身份证复印件' })).status).toBe(201);
    const reply = await act(handler('500106'), id, 'reply', { content: '已为群众补办社保卡并邮寄。', outcome: 'resolved' });
    expect(reply.body.status).toBe('replied');
    expect((await act(handler('500106'), id, 'reply', { content: '再答', outcome: 'resolved' })).status).toBe(409);
    const events = await timelineTypes(id, (t) => t.includes('ticket.replied'));
    const mine = events.map((e) => e.type).filter((t) => !t.startsWith('ticket.sla') && t !== 'ticket.received' && t !== 'ticket.assigned');
    expect(mine).toEqual([
      'ticket.accepted',
      'ticket.extension-requested',
      'ticket.extension-decided',
      'ticket.extension-requested',
      'ticket.pause-requested',
      'ticket.replied',
    ]);
    // One trip, one correlation id (the decision above was injected by the test without a cause).
    expect(new Set(events.filter((e) => e.type !== 'ticket.extension-decided').map((e) => e.correlationId)).size).toBe(1);
  });

  it('takes a reply sent back in review back to the handler, and a reopened ticket as 重办', async () => {
    await fromSupervision('ticket.reply-reviewed', id, { approved: false, comment: '答复未写明邮寄单号' });
    const back = await inboxItem(handler('500106'), id, (i) => i.status === 'accepted');
    expect(back.note).toBe('答复未写明邮寄单号');
    expect((await act(handler('500106'), id, 'reply', { content: '已邮寄，单号SF123。', outcome: 'resolved' })).status).toBe(200);
    await fromSupervision('ticket.reopened', id, { departmentId: departmentId('500106'), reason: '回访不满意：卡未收到', reopenCount: 1 });
    await inboxItem(handler('500106'), id, (i) => i.status === 'reopened');
    expect((await act(handler('500106'), id, 'accept')).status).toBe(200);
    await fromSupervision('ticket.closed', id, { outcome: 'satisfied', closedAt: new Date().toISOString().replace('Z', '+00:00') });
    await waitFor('the ticket to leave the inbox', async () => {
      const inbox = await call<{ items: InboxItem[] }>('GET', '/api/assignment/inbox', undefined, await as(handler('500106')));
      return !inbox.body.items.some((i) => i.id === id);
    });
  });
});

describe('return, reassign and transfer (退单/改派/转办)', () => {
  it('a return accepted by the dispatcher moves the ticket; the trip is visible in the timeline', async () => {
    const id = await createTicket({ regionCode: '500103' });
    await inboxItem(handler('500103'), id);
    const returned = await act(handler('500103'), id, 'return', { reason: '用人单位在江北区，应由江北区承办' });
    expect(returned.body.status).toBe('returned');
    expect((await act(handler('500103'), id, 'return', { reason: '再退' })).status).toBe(409);
    const queue = await call<{ items: { id: string; returnReason: string }[] }>('GET', '/api/assignment/dispatch-queue', undefined, await as('dispatcher'));
    expect(queue.body.items.find((i) => i.id === id)?.returnReason).toBe('用人单位在江北区，应由江北区承办');
    const decided = await act('dispatcher', id, 'return-decision', { accept: true, departmentId: departmentId('500105'), reason: '退单理由成立' });
    expect(decided.body.status).toBe('assigned');
    await inboxItem(handler('500105'), id);
    expect((await act(handler('500103'), id, 'accept')).status).toBe(404);
    expect((await act(handler('500105'), id, 'accept')).status).toBe(200);
    expect((await act(handler('500105'), id, 'reply', { content: '已督促单位支付。', outcome: 'resolved' })).status).toBe(200);
    const events = await timelineTypes(id, (t) => t.includes('ticket.replied'));
    expect(events.map((e) => e.type).filter((t) => t !== 'ticket.sla-started')).toEqual([
      'ticket.received',
      'ticket.assigned',
      'ticket.returned',
      'ticket.reassigned',
      'ticket.accepted',
      'ticket.replied',
    ]);
    expect(events.find((e) => e.type === 'ticket.reassigned')?.payload).toMatchObject({ kind: 'return-accepted', departmentCode: '500105' });
    expect(new Set(events.map((e) => e.correlationId)).size).toBe(1);
    const view = await waitFor('the view to follow', async () => {
      const v = await call<{ status: string; departmentName: string }>('GET', `/api/tickets/${id}`, undefined, await as('supervisor'));
      return v.body.status === 'replied' ? v.body : undefined;
    });
    expect(view.departmentName).toBe('江北区人力社保局');
  });

  it('refuses a return after the window supervision announced (退单时限, its calendar overrides included)', async () => {
    const id = await createTicket({ regionCode: '500107' });
    await inboxItem(handler('500107'), id, (i) => i.due !== null); // the real sign-for clock has arrived
    // The sign-for clock as supervision announces it when its calendar ends the window sooner than
    // the official days would (an administrator's make-up working day): it ended an hour ago.
    const now = Date.now();
    const at = (ms: number) => toOffsetIso(new Date(now + ms));
    await fromSupervision('ticket.sla-started', id, {
      clockId: uuidv7(),
      clock: 'sign-for',
      departmentId: departmentId('500107'),
      startedAt: at(-3 * 3600_000),
      warningAt: at(-2 * 3600_000),
      deadline: at(-3600_000 + 1),
      limit: { amount: 2, unit: 'hours' },
      policyVersion: 1,
      calendarConfirmed: true,
      returnBy: at(-3600_000),
    });
    await inboxItem(handler('500107'), id, (i) => i.due === at(-3600_000 + 1));
    const late = await act(handler('500107'), id, 'return', { reason: '非本单位职责' });
    expect(late.status).toBe(409);
    expect(late.body.message[0]).toBe(`assignedAt: the time to return this ticket ended at ${at(-3600_000)} (2 working-days)`);
  });

  it('a rejected return goes back to the same department', async () => {
    const id = await createTicket({ regionCode: '500108' });
    await inboxItem(handler('500108'), id);
    await act(handler('500108'), id, 'return', { reason: '非本单位职责' });
    const rejected = await act('dispatcher', id, 'return-decision', { accept: false, reason: '用工地在南岸区，属地承办' });
    expect(rejected.body.status).toBe('assigned');
    expect((await act(handler('500108'), id, 'accept')).status).toBe(200);
  });

  it('stops ping-pong: after two returns only a supervisor can move the ticket', async () => {
    const id = await createTicket({ regionCode: '500109' });
    await inboxItem(handler('500109'), id);
    await act(handler('500109'), id, 'return', { reason: '不属本区' });
    await act('dispatcher', id, 'return-decision', { accept: true, departmentId: departmentId('500110'), reason: '改派綦江' });
    await inboxItem(handler('500110'), id);
    await act(handler('500110'), id, 'return', { reason: '也不属本区' });
    const third = await act('dispatcher', id, 'return-decision', { accept: true, departmentId: departmentId('500109'), reason: '改回北碚' });
    expect(third.status).toBe(200);
    await inboxItem(handler('500109'), id);
    const again = await act(handler('500109'), id, 'return', { reason: '还是不属本区' });
    expect(again.status).toBe(409);
    expect(again.body.message[0]).toMatch(/^returnCount:/);
    expect((await act('dispatcher', id, 'transfer', { departmentId: departmentId('LDGXC'), reason: '转劳动关系处' })).status).toBe(403);
    const moved = await act('supervisor', id, 'transfer', { departmentId: departmentId('LDGXC'), reason: '督办协调：转劳动关系处' });
    expect(moved.body.status).toBe('assigned');
    await inboxItem(handler('LDGXC'), id);
  });
});

describe('routing rules, the dispatcher’s queue and co-handling (协办)', () => {
  it('sends group wage arrears to the region bureau with the labour inspectorate co-handling; the main reply waits for its part', async () => {
    const id = await createTicket({ regionCode: '500112', domain: 'wage-arrears', peopleAffected: 45, urgency: 'urgent' });
    const main = await inboxItem(handler('500112'), id);
    expect(main.role).toBe('main');
    const co = await inboxItem(handler('JCZD'), id);
    expect(co).toMatchObject({ role: 'co', coHandlingDone: false });
    expect((await act(handler('500112'), id, 'accept')).status).toBe(200);
    const early = await act(handler('500112'), id, 'reply', { content: '已处理', outcome: 'resolved' });
    expect(early.status).toBe(409);
    expect(early.body.message[0]).toMatch(/^coHandlers:/);
    expect((await act(handler('500103'), id, 'co-handling-notes', { content: '非协办单位' })).status).toBe(404);
    expect((await act(handler('JCZD'), id, 'co-handling-notes', { content: '监察总队已立案，责令三日内支付。' })).status).toBe(201);
    await inboxItem(handler('JCZD'), id, (i) => i.coHandlingDone === true);
    expect((await act(handler('500112'), id, 'reply', { content: '工资已全部支付到位。', outcome: 'resolved' })).status).toBe(200);
    const events = await timelineTypes(id, (t) => t.includes('ticket.replied'));
    expect(events.find((e) => e.type === 'ticket.assigned')?.payload).toMatchObject({
      departmentCode: '500112',
      coHandlers: [expect.objectContaining({ departmentCode: 'JCZD' })],
    });
  });

  it('puts a ticket no rule decides with confidence in the dispatcher’s queue, and dispatches it by hand', async () => {
    const id = await createTicket({ regionCode: '500113', domain: 'other', demandType: 'suggestion' });
    const queued = await waitFor('the ticket in the dispatcher’s queue', async () => {
      const q = await call<{ items: { id: string; status: string; suggestedDepartmentId: string | null }[] }>(
        'GET',
        '/api/assignment/dispatch-queue',
        undefined,
        await as('dispatcher'),
      );
      return q.body.items.find((i) => i.id === id);
    });
    expect(queued).toMatchObject({ status: 'awaiting-dispatch', suggestedDepartmentId: departmentId('500113') });
    expect((await act(handler('500113'), id, 'accept')).status).toBe(404);
    expect((await act('operator', id, 'dispatch', { departmentId: departmentId('FWZX'), reason: 'x' })).status).toBe(403);
    const dispatched = await act('dispatcher', id, 'dispatch', {
      departmentId: departmentId('FWZX'),
      coHandlerIds: [departmentId('500113')],
      reason: '服务改进建议，由12333服务中心主办',
    });
    expect(dispatched.body.status).toBe('assigned');
    expect((await act('dispatcher', id, 'dispatch', { departmentId: departmentId('FWZX'), reason: '再派' })).status).toBe(409);
    await inboxItem(handler('FWZX'), id);
    await inboxItem(handler('500113'), id, (i) => i.role === 'co');
    const events = await timelineTypes(id, (t) => t.includes('ticket.assigned'));
    expect(events.map((e) => e.type).slice(0, 3)).toEqual(['ticket.received', 'ticket.routing-review-requested', 'ticket.assigned']);
  });

  it('routes a municipal matter to its office, never down to the district by default (基层减负)', async () => {
    const id = await createTicket({ regionCode: '500114', domain: 'talent-personnel', categoryCode: 'RC.02.02', demandType: 'consultation' });
    const events = await timelineTypes(id, (t) => t.includes('ticket.assigned'));
    expect(events.find((e) => e.type === 'ticket.assigned')?.payload).toMatchObject({ departmentCode: 'RSKS' });
    const dryRun = await call<{ decision: { kind: string; main?: { code: string } } }>(
      'POST',
      '/api/admin/routing-rules/dry-run',
      { regionCode: '500114', domain: 'talent-personnel', demandType: 'consultation', urgency: 'normal', categoryCode: 'RC.02.02', title: '人事考试', content: '报名' },
      await as('dispatcher'),
    );
    expect(dryRun.status).toBe(200);
    expect(dryRun.body.decision).toMatchObject({ kind: 'assign', main: { code: 'RSKS' } });
  });
});
