import { loadOfficialDays, WorkingCalendar } from '@hotline/calendar';
import { createEvent } from '@hotline/contracts';
import { migratedServiceDatabase } from '@hotline/testing';
import { DataSource } from 'typeorm';
import { ClockReplayService } from '../src/clock-replay/clock-replay.service';
import { SUPERVISION_DATABASE } from '../src/database/supervision.database';
import { SlaClock } from '../src/sla-clocks/sla-clock.entity';
import { planClockStart } from '../src/start-sla-clock/clock-start';
import { insertSupervisedTicket } from './support/supervised-ticket';

const official = loadOfficialDays();
const calendar = new WorkingCalendar(official);
const DEPARTMENT = '0192f0c4-6c1e-7a10-8f00-000000000001';
/** Shanghai wall-clock time → instant. */
const sh = (local: string) => new Date(`${local}+08:00`);

describe('the call-back clock (回访时限) after a calendar correction (real PostgreSQL)', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await migratedServiceDatabase('supervision', 'hotline_test_supervision_callback_clock', SUPERVISION_DATABASE, { maxConnections: 4 });
  });

  afterAll(() => dataSource?.destroy());

  /** An approved reply of a normal complaint at `approvedAt`, with the call-back clock it started. */
  async function awaitingCallback(approvedAt: Date): Promise<{ ticketId: string; clockId: string; deadline: Date }> {
    const ticketId = await insertSupervisedTicket(dataSource, { departmentId: DEPARTMENT, status: 'awaiting-callback' });
    const [rule] = await dataSource.query(
      `SELECT version, sign_for_amount, sign_for_unit, reply_amount, reply_unit, warning_fraction::float8 AS warning_fraction
         FROM supervision.sla_policy_rule WHERE demand_type = 'complaint' AND urgency = 'normal' ORDER BY version DESC LIMIT 1`,
    );
    const approved = createEvent('ticket.reply-reviewed', { approved: true, comment: '答复规范' }, { ticketId, occurredAt: approvedAt });
    const clock = planClockStart(calendar, approved, 'callback', DEPARTMENT, rule, 'normal');
    await dataSource.getRepository(SlaClock).insert({
      id: clock.clockId,
      ticketId,
      kind: 'callback',
      departmentId: DEPARTMENT,
      status: 'running',
      startedAt: clock.startedAt,
      warningAt: clock.warningAt,
      deadline: clock.deadline,
      limitAmount: clock.limit.amount,
      limitUnit: clock.limit.unit,
      policyVersion: clock.policyVersion,
      calendarConfirmed: clock.calendarConfirmed,
      nextDueAt: clock.warningAt,
      startedByEventId: approved.eventId,
      stage: 'warning',
    });
    return { ticketId, clockId: clock.clockId, deadline: clock.deadline };
  }

  it('moves with an extra local holiday: recomputed by the call-back rule, announced as the call-back clock', async () => {
    const { ticketId, clockId, deadline } = await awaitingCallback(sh('2026-11-24T10:00:00'));
    expect(deadline).toEqual(sh('2026-11-25T10:00:00'));
    // The administrator declares Wednesday 25 November a local holiday: the call-back is due Thursday.
    const corrected = WorkingCalendar.fromOverrides(official, [{ date: '2026-11-25', kind: 'holiday', name: '临时休息日' }]);
    const { moved } = await new ClockReplayService(dataSource, corrected).recompute(false, '临时休息日');
    expect(moved.filter((m) => m.ticketId === ticketId)).toEqual([
      { ticketId, clockId, clock: 'callback', from: '2026-11-25T10:00:00.000+08:00', to: '2026-11-26T10:00:00.000+08:00' },
    ]);
    const [row] = await dataSource.getRepository(SlaClock).findBy({ id: clockId });
    expect(row.deadline).toEqual(sh('2026-11-26T10:00:00'));
    expect(row.nextDueAt).toEqual(row.warningAt);
    const rows: { message: string }[] = await dataSource.query(
      `SELECT message FROM supervision.outbox_message WHERE message_key = $1 AND event_type = 'ticket.sla-recomputed'`,
      [ticketId],
    );
    const payload = JSON.parse(rows[0].message).payload as Record<string, unknown>;
    expect(payload).toMatchObject({ clock: 'callback', deadline: '2026-11-26T10:00:00.000+08:00' });
    expect(payload).not.toHaveProperty('returnBy');
  });
});
