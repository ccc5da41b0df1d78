import { EventPayload, EventType, EVENT_TYPES } from '../events/event-catalog';
import { createEvent, EventContractError, parseEvent, serializeEvent, toOffsetIso } from './event-codec';
import { uuidv7 } from './uuid-v7';

const TICKET_ID = '0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6b';
const DEPARTMENT_ID = '0192f0c4-6c1e-7a10-8f00-000000000001';

/** One valid payload per event type; a type added to the catalog without one fails below. */
const EXAMPLES: { [T in EventType]: EventPayload<T> } = {
  'ticket.received': {
    number: '12333-20261122-000001',
    channel: 'phone',
    demandType: 'complaint',
    domain: 'wage-arrears',
    urgency: 'urgent',
    regionCode: '500103',
    title: '工地拖欠农民工工资',
    content: '某建筑工地拖欠30名工人三个月工资，多次讨要无果。',
    callerPhoneHash: 'a'.repeat(64),
    employerName: '重庆某建筑劳务有限公司',
    peopleAffected: 30,
    receivedAt: '2026-11-22T09:30:00.000+08:00',
    disposition: 'dispatch',
    attachments: [{ name: '工资条.jpg', reference: 'attachment:01a2' }],
    desiredContactTime: '工作日下午',
  },
  'ticket.resolved-on-call': {
    answer: '失业保险金可通过重庆人社App或就近的公共就业服务机构申领，需提供身份证和解除劳动合同证明。',
    knowledgeId: '0192f0c4-6c1e-7a10-8f00-000000000009',
    knowledgeVersion: '3',
    resolvedAt: '2026-11-22T09:35:00.000+08:00',
  },
  'ticket.repeat-linked': {
    repeatId: '0192f0c4-6c1e-7a10-8f00-000000000010',
    repeatCount: 2,
    matchedOn: 'caller',
    channel: 'phone',
    content: '第三次来电催问工资什么时候发',
    callerPhoneHash: 'a'.repeat(64),
    regionCode: '500103',
    domain: 'wage-arrears',
    receivedAt: '2026-11-23T10:00:00.000+08:00',
  },
  'ticket.supplemented': {
    supplementId: '0192f0c4-6c1e-7a10-8f00-000000000011',
    content: '补充考勤记录和微信聊天截图',
    attachments: [{ name: '考勤记录.pdf', reference: 'attachment:01a3' }],
    supplementedAt: '2026-11-23T11:00:00.000+08:00',
  },
  'ticket.assigned': {
    number: '12333-20261122-000001',
    departmentId: DEPARTMENT_ID,
    departmentCode: '500103',
    departmentName: '渝中区人力社保局',
    regionCode: '500103',
    demandType: 'complaint',
    domain: 'wage-arrears',
    urgency: 'urgent',
    receivedAt: '2026-11-22T09:30:00.000+08:00',
    routing: { reason: 'default rule: the region bureau of 渝中区' },
    coHandlers: [{ departmentId: '0192f0c4-6c1e-7a10-8f00-000000000006', departmentCode: 'JCZD', departmentName: '市劳动保障监察总队' }],
    title: '工地拖欠农民工工资',
  },
  'ticket.routing-review-requested': {
    number: '12333-20261122-000002',
    regionCode: '500103',
    demandType: 'consultation',
    domain: 'other',
    urgency: 'normal',
    suggested: { departmentId: DEPARTMENT_ID, departmentCode: '500103', departmentName: '渝中区人力社保局' },
    reason: '业务领域为“其他”，需人工确认承办单位',
  },
  'ticket.accepted': { departmentId: DEPARTMENT_ID, acceptedAt: '2026-11-22T10:00:00.000+08:00' },
  'ticket.replied': {
    departmentId: DEPARTMENT_ID,
    content: '已约谈用人单位，承诺11月30日前足额支付拖欠工资。',
    outcome: 'resolved',
    repliedAt: '2026-11-24T16:00:00.000+08:00',
  },
  'ticket.returned': {
    departmentId: DEPARTMENT_ID,
    reason: '用人单位注册地在江北区，应由江北区人力社保局承办',
    returnCount: 1,
    returnedAt: '2026-11-22T11:00:00.000+08:00',
  },
  'ticket.return-rejected': { departmentId: DEPARTMENT_ID, reason: '用工地在渝中区，属地承办' },
  'ticket.reassigned': {
    number: '12333-20261122-000001',
    kind: 'return-accepted',
    fromDepartmentId: DEPARTMENT_ID,
    departmentId: '0192f0c4-6c1e-7a10-8f00-000000000003',
    departmentCode: '500105',
    departmentName: '江北区人力社保局',
    regionCode: '500105',
    demandType: 'complaint',
    domain: 'wage-arrears',
    urgency: 'urgent',
    coHandlers: [],
    reason: '退单理由成立，改派江北区',
  },
  'ticket.extension-requested': {
    requestId: '0192f0c4-6c1e-7a10-8f00-000000000004',
    departmentId: DEPARTMENT_ID,
    workingDays: 5,
    reason: '需调取用人单位近一年工资台账',
  },
  'ticket.pause-requested': {
    requestId: '0192f0c4-6c1e-7a10-8f00-000000000005',
    departmentId: DEPARTMENT_ID,
    reason: '等待来电人补充劳动合同复印件',
  },
  'ticket.co-handling-noted': { departmentId: DEPARTMENT_ID, content: '监察总队已立案调查，将于3个工作日内现场检查。' },
  'ticket.sla-warning': {
    clockId: '0192f0c4-6c1e-7a10-8f00-000000000002',
    clock: 'sign-for',
    departmentId: DEPARTMENT_ID,
    deadline: '2026-11-23T09:30:00.000+08:00',
  },
  'ticket.overdue': {
    clockId: '0192f0c4-6c1e-7a10-8f00-000000000002',
    clock: 'reply',
    departmentId: DEPARTMENT_ID,
    deadline: '2026-11-27T17:30:00.000+08:00',
  },
  'ticket.escalated': {
    level: 2,
    reason: 'overdue',
    departmentId: DEPARTMENT_ID,
    notice: '督办通知：工单12333-20261122-000001已超过办理时限，请单位负责人督促办理。',
  },
  'ticket.sla-recomputed': {
    clockId: '0192f0c4-6c1e-7a10-8f00-000000000002',
    clock: 'reply',
    warningAt: '2026-11-26T10:00:00.000+08:00',
    deadline: '2026-11-27T17:30:00.000+08:00',
    previousDeadline: '2026-11-26T17:30:00.000+08:00',
    reason: '新增地方假日 2026-11-23',
  },
  'ticket.urged': { departmentId: DEPARTMENT_ID, note: '请尽快联系来电人核实欠薪情况' },
  'ticket.callback-recorded': { satisfaction: 'basically-satisfied', note: '工资已到账，对办理速度有意见', attempt: 1 },
  'ticket.extension-decided': {
    requestId: '0192f0c4-6c1e-7a10-8f00-000000000004',
    approved: true,
    replyDeadline: '2026-12-03T17:00:00.000+08:00',
    comment: '同意延期5个工作日',
  },
  'ticket.pause-decided': {
    requestId: '0192f0c4-6c1e-7a10-8f00-000000000005',
    approved: true,
    comment: '同意暂停计时，待群众补充材料后恢复',
  },
  'ticket.reply-reviewed': { approved: false, comment: '答复未说明具体支付时间，请补充' },
  'ticket.reopened': { departmentId: DEPARTMENT_ID, reason: '回访不满意：工资仍未到账', reopenCount: 1 },
  'ticket.closed': { outcome: 'satisfied', closedAt: '2026-11-28T10:00:00.000+08:00' },
  'ticket.sla-started': {
    clockId: '0192f0c4-6c1e-7a10-8f00-000000000002',
    clock: 'sign-for',
    departmentId: DEPARTMENT_ID,
    startedAt: '2026-11-22T09:30:01.000+08:00',
    warningAt: '2026-11-22T11:00:01.000+08:00',
    deadline: '2026-11-22T11:30:01.000+08:00',
    limit: { amount: 2, unit: 'hours' },
    policyVersion: 1,
    calendarConfirmed: true,
  },
  'metrics.hotspot-detected': {
    hotspotId: '0192f0c4-6c1e-7a10-8f00-000000000009',
    kind: 'employer',
    day: '2026-11-23',
    regionCode: '500229',
    employerName: '重庆某某建筑劳务有限公司',
    employerKey: '某某建筑劳务',
    count: 6,
    baselineDailyAverage: 0.25,
    baselineDays: 28,
    ticketIds: ['0192f0c4-6c1e-7a10-8f00-00000000000a'],
    detectedAt: '2026-11-23T10:00:00.000+08:00',
  },
};

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
