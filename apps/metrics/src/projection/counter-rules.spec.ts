import { createEvent } from '@hotline/contracts';
import { counterIncrements, departmentCharge } from './counter-rules';

const ticketId = '0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6b';
const departmentId = '0192f0c4-6c1e-7a10-8f00-000000000001';

describe('counter rules', () => {
  const received = createEvent(
    'ticket.received',
    {
      number: '12333-20261122-000001',
      channel: 'web',
      demandType: 'help',
      domain: 'employment',
      urgency: 'normal',
      regionCode: '500105',
      title: '求职登记',
      content: '想办理失业登记和求职登记',
      callerPhoneHash: 'c'.repeat(64),
      // 23:50 on 21 Nov in UTC is 07:50 on 22 Nov in Shanghai: counted on the 22nd.
      receivedAt: '2026-11-22T07:50:00.000+08:00',
    },
    { ticketId },
  );

  it('counts a receipt once per dimension, on its Shanghai day', () => {
    expect(counterIncrements(received, { firstAssignment: false })).toEqual([
      { day: '2026-11-22', dimension: 'all', key: 'all', measure: 'received' },
      { day: '2026-11-22', dimension: 'region', key: '500105', measure: 'received' },
      { day: '2026-11-22', dimension: 'domain', key: 'employment', measure: 'received' },
      { day: '2026-11-22', dimension: 'demand-type', key: 'help', measure: 'received' },
      { day: '2026-11-22', dimension: 'channel', key: 'web', measure: 'received' },
    ]);
  });

  it('counts an overdue clock for its department, and a late call-back (回访) for the hotline alone', () => {
    const overdue = (clock: 'reply' | 'callback') =>
      createEvent(
        'ticket.overdue',
        { clockId: ticketId, clock, departmentId, deadline: '2026-11-23T17:30:00.000+08:00' },
        { ticketId, occurredAt: new Date('2026-11-23T09:30:00Z') },
      );
    expect(counterIncrements(overdue('reply'), { firstAssignment: false })).toEqual([
      { day: '2026-11-23', dimension: 'all', key: 'all', measure: 'overdue-reply' },
      { day: '2026-11-23', dimension: 'department', key: departmentId, measure: 'overdue-reply' },
    ]);
    expect(counterIncrements(overdue('callback'), { firstAssignment: false })).toEqual([
      { day: '2026-11-23', dimension: 'all', key: 'all', measure: 'overdue-callback' },
    ]);
  });

  it('counts an assignment for the department, and the receipt only on the first assignment', () => {
    const assigned = createEvent(
      'ticket.assigned',
      {
        number: '12333-20261122-000001',
        departmentId,
        departmentCode: '500105',
        departmentName: '江北区人力社保局',
        regionCode: '500105',
        demandType: 'help',
        domain: 'employment',
        urgency: 'normal',
        receivedAt: '2026-11-21T23:59:00.000+08:00',
        routing: { reason: 'default' },
      },
      { ticketId, cause: received, occurredAt: new Date('2026-11-22T00:00:30.000+08:00') },
    );
    const first = counterIncrements(assigned, { firstAssignment: true });
    expect(first).toContainEqual({ day: '2026-11-22', dimension: 'department', key: departmentId, measure: 'assigned' });
    expect(first).toContainEqual({ day: '2026-11-21', dimension: 'department', key: departmentId, measure: 'received' });
    const again = counterIncrements(assigned, { firstAssignment: false });
    expect(again.some((i) => i.measure === 'received')).toBe(false);
  });
});

describe('department charges', () => {
  it('charges a closing to the holder at the event’s instant, on the day it was closed, and counts it for the hotline at once', () => {
    const closed = createEvent(
      'ticket.closed',
      { outcome: 'satisfied', closedAt: '2026-11-22T23:59:00.000+08:00' },
      { ticketId, occurredAt: new Date('2026-11-23T00:00:05.000+08:00') },
    );
    expect(departmentCharge(closed)).toEqual({ at: closed.occurredAt, day: '2026-11-22', measure: 'closed' });
    expect(counterIncrements(closed, { firstAssignment: false })).toEqual([{ day: '2026-11-22', dimension: 'all', key: 'all', measure: 'closed' }]);
  });

  it('charges nothing for steps that name their department themselves', () => {
    const overdue = createEvent(
      'ticket.overdue',
      { clockId: '0192f0c4-6c1e-7a10-8f00-000000000002', clock: 'reply', departmentId, deadline: '2026-11-22T18:00:00.000+08:00' },
      { ticketId },
    );
    expect(departmentCharge(overdue)).toBeNull();
    expect(counterIncrements(overdue, { firstAssignment: false })).toContainEqual(expect.objectContaining({ dimension: 'department', key: departmentId }));
  });
});
