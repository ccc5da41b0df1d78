import { loadOfficialDays, WorkingCalendar } from '@hotline/calendar';
import { createEvent, EventPayload, uuidv7 } from '@hotline/contracts';
import { deferOutboxWrites, writeDeferredOutbox } from '@hotline/messaging';
import { migratedServiceDatabase } from '@hotline/testing';
import { DataSource, EntityManager } from 'typeorm';
import { SUPERVISION_DATABASE } from '../src/database/supervision.database';
import { AssignedClockBatch, TicketAssignedEvent } from '../src/start-sla-clock/assigned-clock-batch';
import { computeDeadline } from '../src/start-sla-clock/sla-deadline';

const calendar = new WorkingCalendar(loadOfficialDays());
const [DEPT_A, DEPT_B] = ['0192f0c4-6c1e-7a10-8f00-00000000000a', '0192f0c4-6c1e-7a10-8f00-00000000000b'];

let serial = 0;

/** 派单 of a new ticket at `at`, as assignment announces it. */
function assigned(ticketId: string, at: string, demandType: 'complaint' | 'help' = 'complaint'): TicketAssignedEvent {
  const payload: EventPayload<'ticket.assigned'> = {
    number: `12333-20261123-${String((serial += 1)).padStart(6, '0')}`,
    departmentId: DEPT_A,
    departmentCode: 'JLP-RSJ',
    departmentName: '九龙坡区人力社保局',
    regionCode: '500107',
    demandType,
    domain: 'wage-arrears',
    urgency: 'normal',
    receivedAt: at,
    routing: { ruleId: 'district-default@1', reason: '按属地派单' },
  };
  return createEvent('ticket.assigned', payload, { ticketId, occurredAt: new Date(at) }) as TicketAssignedEvent;
}

/** 改派 of `ticketId` to department B at `at`. */
function reassigned(first: TicketAssignedEvent, at: string): TicketAssignedEvent {
  const payload: EventPayload<'ticket.reassigned'> = {
    ...first.payload,
    departmentId: DEPT_B,
    departmentCode: 'YZ-RSJ',
    departmentName: '渝中区人力社保局',
    kind: 'return-accepted',
    fromDepartmentId: DEPT_A,
    coHandlers: [],
    reason: '退回改派：属渝中区管辖',
  };
  return createEvent('ticket.reassigned', payload, { ticketId: first.ticketId, cause: first, occurredAt: new Date(at) }) as TicketAssignedEvent;
}

describe('starting the clocks of a batch of assignments at once (real PostgreSQL)', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await migratedServiceDatabase('supervision', 'hotline_test_supervision_assigned_clocks', SUPERVISION_DATABASE, { maxConnections: 4 });
  });

  afterAll(() => dataSource?.destroy());

  beforeEach(() =>
    dataSource.query(
      'TRUNCATE supervision.sla_clock, supervision.supervised_ticket, supervision.outbox_message, supervision.early_repeat',
    ),
  );

  /** What a consumer transaction does: handlers collect, the batch step applies, the outbox is written at the end. */
  async function inConsumerTransaction(work: (batch: AssignedClockBatch, manager: EntityManager) => Promise<void>): Promise<void> {
    await dataSource.transaction(async (manager) => {
      deferOutboxWrites(manager);
      const batch = new AssignedClockBatch(manager, calendar);
      await work(batch, manager);
      await batch.apply();
      await writeDeferredOutbox(manager);
    });
  }

  async function clocksOf(ticketId: string) {
    return dataSource.query(
      `SELECT department_id, status, started_at, stopped_at, warning_at, deadline, next_due_at, limit_amount, limit_unit,
              policy_version, started_by_event_id
         FROM supervision.sla_clock WHERE ticket_id = $1 ORDER BY started_at`,
      [ticketId],
    );
  }

  async function outbox(): Promise<{ type: string; ticketId: string; eventId: string; payload: Record<string, unknown> }[]> {
    const rows: { message: string }[] = await dataSource.query('SELECT message FROM supervision.outbox_message ORDER BY id');
    return rows.map((r) => JSON.parse(r.message));
  }

  it('starts one sign-for clock per ticket by the policy and the calendar, and a second assignment of a ticket stops the first clock', async () => {
    const [t1, t2, t3] = [uuidv7(), uuidv7(), uuidv7()];
    const a1 = assigned(t1, '2026-11-23T09:00:00.000+08:00');
    const a2 = assigned(t2, '2026-11-23T09:01:00.000+08:00', 'help');
    const a3 = assigned(t3, '2026-11-23T09:02:00.000+08:00');
    const r1 = reassigned(a1, '2026-11-23T10:00:00.000+08:00');
    await inConsumerTransaction(async (batch) => {
      for (const e of [a1, a2, a3, r1]) await batch.add(e);
    });

    const [first, second] = await clocksOf(t1);
    expect(first).toMatchObject({ department_id: DEPT_A, status: 'stopped', next_due_at: null, started_by_event_id: a1.eventId });
    expect(first.stopped_at.toISOString()).toBe(new Date(r1.occurredAt).toISOString());
    expect(second).toMatchObject({ department_id: DEPT_B, status: 'running', started_by_event_id: r1.eventId, stopped_at: null });
    expect(second.started_at.toISOString()).toBe(new Date(r1.occurredAt).toISOString());

    // The deadline and warning instant are those the policy's rule and the calendar give.
    const [rule] = await dataSource.query(
      `SELECT sign_for_amount AS amount, sign_for_unit AS unit, warning_fraction::float8 AS fraction, version
         FROM supervision.sla_policy_rule WHERE demand_type = 'help' AND urgency = 'normal' ORDER BY version DESC LIMIT 1`,
    );
    const expected = computeDeadline(calendar, new Date(a2.occurredAt), { amount: rule.amount, unit: rule.unit }, rule.fraction);
    const [clock2] = await clocksOf(t2);
    expect(clock2).toMatchObject({ status: 'running', limit_amount: rule.amount, limit_unit: rule.unit, policy_version: rule.version });
    expect(clock2.deadline.toISOString()).toBe(expected.deadline.toISOString());
    expect(clock2.warning_at.toISOString()).toBe(expected.warningAt.toISOString());
    expect(clock2.next_due_at.toISOString()).toBe(expected.warningAt.toISOString());
    expect(await clocksOf(t3)).toHaveLength(1);

    // One ticket.sla-started per clock, in the order of their causes; each ticket's last event is its latest.
    const events = await outbox();
    expect(events.map((e) => [e.type, e.ticketId])).toEqual([
      ['ticket.sla-started', t1],
      ['ticket.sla-started', t2],
      ['ticket.sla-started', t3],
      ['ticket.sla-started', t1],
    ]);
    expect(events[3].payload).toMatchObject({ clock: 'sign-for', departmentId: DEPT_B });
    const tickets: { ticket_id: string; department_id: string; status: string; last_event_id: string }[] = await dataSource.query(
      'SELECT ticket_id, department_id, status, last_event_id FROM supervision.supervised_ticket',
    );
    const byId = new Map(tickets.map((t) => [t.ticket_id, t]));
    expect(byId.get(t1)).toMatchObject({ department_id: DEPT_B, status: 'handling', last_event_id: events[3].eventId });
    expect(byId.get(t2)?.last_event_id).toBe(events[1].eventId);
  });

  it('announces the return window (退单时限) with the sign-for clock, on the calendar with its overrides', async () => {
    const ticketId = uuidv7();
    // Monday 2026-11-23 09:00: two working days → Wednesday 09:00 on the official calendar.
    const a = assigned(ticketId, '2026-11-23T09:00:00.000+08:00');
    await inConsumerTransaction((batch) => batch.add(a));
    expect((await outbox())[0].payload).toMatchObject({ clock: 'sign-for', returnBy: '2026-11-25T09:00:00.000+08:00' });

    // An administrator declares Tuesday a local holiday: the window ends a day later.
    await dataSource.query('TRUNCATE supervision.sla_clock, supervision.supervised_ticket, supervision.outbox_message');
    const withHoliday = WorkingCalendar.fromOverrides(loadOfficialDays(), [{ date: '2026-11-24', kind: 'holiday', name: '地方假日' }]);
    await dataSource.transaction(async (manager) => {
      deferOutboxWrites(manager);
      const batch = new AssignedClockBatch(manager, withHoliday);
      await batch.add(assigned(uuidv7(), '2026-11-23T09:00:00.000+08:00'));
      await batch.apply();
      await writeDeferredOutbox(manager);
    });
    expect((await outbox())[0].payload).toMatchObject({ clock: 'sign-for', returnBy: '2026-11-26T09:00:00.000+08:00' });
  });

  it('stops the clock a ticket already had, and applies the repeats that came before its assignment (督办 at the third)', async () => {
    const ticketId = uuidv7();
    const before = assigned(ticketId, '2026-11-23T08:00:00.000+08:00');
    await inConsumerTransaction((batch) => batch.add(before));
    await dataSource.query('INSERT INTO supervision.early_repeat (ticket_id, repeat_count) VALUES ($1, 3)', [ticketId]);
    const again = reassigned(before, '2026-11-23T11:00:00.000+08:00');
    await inConsumerTransaction((batch) => batch.add(again));

    expect((await clocksOf(ticketId)).map((c: { status: string }) => c.status)).toEqual(['stopped', 'running']);
    expect(await dataSource.query('SELECT * FROM supervision.early_repeat')).toEqual([]);
    const events = await outbox();
    expect(events.map((e) => e.type)).toEqual(['ticket.sla-started', 'ticket.sla-started', 'ticket.escalated']);
    expect(events[2].payload).toMatchObject({ level: 2, reason: 'repeats' });
    const [ticket] = await dataSource.query('SELECT repeat_count, escalation_level, last_event_id FROM supervision.supervised_ticket');
    expect(ticket).toEqual({ repeat_count: 3, escalation_level: 2, last_event_id: events[2].eventId });
  });

  it('fails the whole batch when a ticket has no policy, leaving nothing of it behind', async () => {
    const good = assigned(uuidv7(), '2026-11-23T09:00:00.000+08:00');
    const orphan = assigned(uuidv7(), '2026-11-23T09:05:00.000+08:00');
    (orphan.payload as { urgency: string }).urgency = 'no-such-urgency';
    await expect(
      inConsumerTransaction(async (batch) => {
        await batch.add(good);
        await batch.add(orphan);
      }),
    ).rejects.toThrow('no SLA policy for complaint/no-such-urgency');
    expect(await dataSource.query('SELECT count(*)::int AS n FROM supervision.sla_clock')).toEqual([{ n: 0 }]);
    expect(await dataSource.query('SELECT count(*)::int AS n FROM supervision.supervised_ticket')).toEqual([{ n: 0 }]);
    expect(await outbox()).toEqual([]);
  });
});
