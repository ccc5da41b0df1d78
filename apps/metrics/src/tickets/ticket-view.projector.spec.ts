import type { KnownEvent } from '@hotline/contracts';
import { applyToTicketView, TicketViewRow } from './ticket-view.projector';

const TICKET = '0d4f5a4e-7a43-4f57-9d56-1f1d2b3c4d5e';

/** Only the fields the view reads: the rules are pure, so a partial event is enough here. */
function event(type: string, occurredAt: string, payload: Record<string, unknown> = {}): KnownEvent {
  return { type, occurredAt, ticketId: TICKET, payload } as unknown as KnownEvent;
}

function fold(events: KnownEvent[]): { row: TicketViewRow | undefined; first: boolean[] } {
  let row: TicketViewRow | undefined;
  const first: boolean[] = [];
  for (const e of events) {
    const applied = applyToTicketView(row, e);
    row = applied.row;
    first.push(applied.facts.firstAssignment);
  }
  return { row, first };
}

const received = event('ticket.received', '2026-11-02T01:00:00Z', {
  number: 'GD20261102000001',
  channel: 'hotline',
  demandType: 'complaint',
  domain: 'wage-arrears',
  urgency: 'normal',
  regionCode: '500103',
  title: '欠薪',
  receivedAt: '2026-11-02T01:00:00Z',
});
const assigned = (at: string, departmentId: string) =>
  event('ticket.assigned', at, {
    number: 'GD20261102000001',
    demandType: 'complaint',
    domain: 'wage-arrears',
    urgency: 'normal',
    regionCode: '500103',
    departmentId,
    departmentName: departmentId,
    receivedAt: '2026-11-02T01:00:00Z',
  });

describe('applyToTicketView', () => {
  it('ends in the same status whichever topic’s event comes first', () => {
    const accepted = event('ticket.accepted', '2026-11-02T03:00:00Z', { departmentId: 'd1' });
    const closed = event('ticket.closed', '2026-11-05T03:00:00Z', { closedAt: '2026-11-05T03:00:00Z' });
    const inOrder = fold([received, assigned('2026-11-02T02:00:00Z', 'd1'), accepted, closed]).row;
    const shuffled = fold([closed, accepted, assigned('2026-11-02T02:00:00Z', 'd1'), received]).row;
    expect(inOrder?.status).toBe('closed');
    expect(shuffled).toEqual(inOrder);
  });

  it('knows a ticket’s first assignment, and keeps its first department', () => {
    const { row, first } = fold([received, assigned('2026-11-02T02:00:00Z', 'd1'), assigned('2026-11-03T02:00:00Z', 'd2')]);
    expect(first).toEqual([false, true, false]);
    expect(row?.first_department_id).toBe('d1');
    expect(row?.department_id).toBe('d2');
    // The assignment made the row: still the first.
    expect(fold([assigned('2026-11-02T02:00:00Z', 'd1')]).first).toEqual([true]);
  });

  it('clears flags raised before a signing, not those raised after it', () => {
    const warned = event('ticket.sla-warning', '2026-11-03T00:00:00Z');
    const overdue = event('ticket.overdue', '2026-11-06T00:00:00Z');
    const signed = event('ticket.accepted', '2026-11-04T00:00:00Z', { departmentId: 'd1' });
    for (const order of [
      [warned, overdue, signed],
      [signed, overdue, warned],
      [overdue, signed, warned],
    ]) {
      const row = fold([received, ...order]).row;
      expect({ warning: row?.warning, overdue: row?.overdue }).toEqual({ warning: false, overdue: true });
    }
  });

  it('updates deadlines and extensions only on a ticket it has seen', () => {
    const recomputed = event('ticket.sla-recomputed', '2026-11-03T00:00:00Z', { clock: 'reply', deadline: '2026-11-20T10:00:00Z' });
    const extended = event('ticket.extension-decided', '2026-11-03T00:00:00Z', { approved: true, replyDeadline: '2026-11-25T10:00:00Z' });
    expect(fold([recomputed]).row).toBeUndefined();
    expect(fold([extended]).row).toBeUndefined();
    const row = fold([received, recomputed, extended]).row;
    expect(row?.reply_deadline).toBe(Date.parse('2026-11-25T10:00:00Z'));
    // A refused extension changes nothing.
    const refused = event('ticket.extension-decided', '2026-11-04T00:00:00Z', { approved: false });
    expect(fold([received, recomputed, refused]).row?.reply_deadline).toBe(Date.parse('2026-11-20T10:00:00Z'));
  });

  it('counts call-backs, keeps the highest escalation and repeat count', () => {
    const row = fold([
      event('ticket.escalated', '2026-11-07T00:00:00Z', { level: 2 }),
      event('ticket.escalated', '2026-11-06T00:00:00Z', { level: 1 }),
      event('ticket.callback-recorded', '2026-11-08T00:00:00Z', { satisfaction: 'satisfied' }),
      event('ticket.callback-recorded', '2026-11-09T00:00:00Z', { satisfaction: 'satisfied' }),
      event('ticket.repeat-linked', '2026-11-04T00:00:00Z', { repeatCount: 3 }),
      event('ticket.repeat-linked', '2026-11-03T00:00:00Z', { repeatCount: 2 }),
    ]).row;
    expect(row).toMatchObject({ escalation_level: 2, callback_count: 2, repeat_count: 3, status: null });
  });
});
