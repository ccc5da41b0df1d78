import { loadOfficialDays, WorkingCalendar } from '@hotline/calendar';
import { uuidv7 } from '@hotline/contracts';
import { migratedServiceDatabase } from '@hotline/testing';
import { DataSource } from 'typeorm';
import { SUPERVISION_DATABASE } from '../src/database/supervision.database';
import { SlaClock } from '../src/sla-clocks/sla-clock.entity';
import { SupervisedTicket } from '../src/supervised-tickets/supervised-ticket.entity';
import { FAILED_CLOCK_RETRY_MS, SlaTimerScanner } from '../src/timers/sla-timer-scanner';
import { insertSupervisedTicket } from './support/supervised-ticket';

const calendar = new WorkingCalendar(loadOfficialDays());
const DEPARTMENT = '0192f0c4-6c1e-7a10-8f00-000000000001';

describe('durable SLA timers (real PostgreSQL)', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await migratedServiceDatabase('supervision', 'hotline_test_supervision_timers', SUPERVISION_DATABASE, { maxConnections: 6 });
  });

  afterAll(() => dataSource?.destroy());

  beforeEach(() => dataSource.query('TRUNCATE supervision.sla_clock, supervision.supervised_ticket, supervision.outbox_message'));

  /** A ticket with a running clock of `minutes` that started at `start`. */
  async function clock(start: Date, minutes: number, kind: SlaClock['kind'] = 'sign-for'): Promise<string> {
    const ticketId = await insertSupervisedTicket(dataSource, {
      urgency: 'urgent',
      departmentId: DEPARTMENT,
      status: kind === 'callback' ? 'awaiting-callback' : 'handling',
    });
    const deadline = new Date(start.getTime() + minutes * 60_000);
    await dataSource.getRepository(SlaClock).insert({
      id: uuidv7(),
      ticketId,
      kind,
      departmentId: DEPARTMENT,
      status: 'running',
      startedAt: start,
      warningAt: new Date(start.getTime() + minutes * 45_000),
      deadline,
      limitAmount: minutes,
      limitUnit: 'minutes',
      policyVersion: 1,
      calendarConfirmed: true,
      nextDueAt: new Date(start.getTime() + minutes * 45_000),
      startedByEventId: uuidv7(),
      stage: 'warning',
    });
    return ticketId;
  }

  async function eventsOf(ticketId: string): Promise<{ type: string; level?: number }[]> {
    const rows: { event_type: string; message: string }[] = await dataSource.query(
      `SELECT event_type, message FROM supervision.outbox_message WHERE message_key = $1 ORDER BY id`,
      [ticketId],
    );
    return rows.map((r) => {
      const level = JSON.parse(r.message).payload.level as number | undefined;
      return level === undefined ? { type: r.event_type } : { type: r.event_type, level };
    });
  }

  it('climbs the whole ladder on a policy of minutes: warning, overdue, then 挂牌督办 five working days on', async () => {
    const start = new Date('2026-11-23T01:00:00Z'); // Monday 09:00 in Shanghai
    const id = await clock(start, 4);
    const scanner = new SlaTimerScanner(dataSource, calendar);
    expect(await scanner.scanOnce(new Date(start.getTime() + 2 * 60_000))).toBe(0); // nothing due yet
    expect(await scanner.scanOnce(new Date(start.getTime() + 3 * 60_000))).toBe(1);
    expect(await eventsOf(id)).toEqual([{ type: 'ticket.sla-warning' }, { type: 'ticket.escalated', level: 1 }]);
    expect(await scanner.scanOnce(new Date(start.getTime() + 3 * 60_000))).toBe(0); // never twice
    expect(await scanner.scanOnce(new Date(start.getTime() + 4 * 60_000))).toBe(1);
    expect((await eventsOf(id)).slice(2)).toEqual([{ type: 'ticket.overdue' }, { type: 'ticket.escalated', level: 2 }]);
    // Monday 09:04 + 5 working days = the next Monday 09:04.
    expect(await scanner.scanOnce(new Date('2026-11-30T01:03:59Z'))).toBe(0);
    expect(await scanner.scanOnce(new Date('2026-11-30T01:04:01Z'))).toBe(1);
    expect((await eventsOf(id)).slice(4)).toEqual([{ type: 'ticket.escalated', level: 3 }]);
    const [row] = await dataSource.getRepository(SlaClock).findBy({ ticketId: id });
    expect(row).toMatchObject({ stage: 'done', nextDueAt: null });
  });

  it('warns and marks overdue a call-back clock without escalating the department, and then is done', async () => {
    const start = new Date('2026-11-23T01:00:00Z');
    const id = await clock(start, 4, 'callback');
    const scanner = new SlaTimerScanner(dataSource, calendar);
    expect(await scanner.scanOnce(new Date(start.getTime() + 3 * 60_000))).toBe(1);
    expect(await scanner.scanOnce(new Date(start.getTime() + 4 * 60_000))).toBe(1);
    expect(await scanner.scanUntilIdle(() => new Date('2026-12-31T00:00:00Z'))).toBe(0); // no 挂牌 stage
    expect(await eventsOf(id)).toEqual([{ type: 'ticket.sla-warning' }, { type: 'ticket.overdue' }]);
    const rows: { payload: { clock: string; departmentId: string } }[] = await dataSource.query(
      `SELECT message::jsonb -> 'payload' AS payload FROM supervision.outbox_message WHERE message_key = $1`,
      [id],
    );
    expect(rows.map((r) => r.payload.clock)).toEqual(['callback', 'callback']);
    const [row] = await dataSource.getRepository(SlaClock).findBy({ ticketId: id });
    expect(row).toMatchObject({ stage: 'done', nextDueAt: null });
    const [ticket] = await dataSource.getRepository(SupervisedTicket).findBy({ ticketId: id });
    expect(ticket.escalationLevel).toBe(0);
  });

  it('fires what fell due while the service was down, once, when it comes back', async () => {
    const id = await clock(new Date('2026-11-20T01:00:00Z'), 10); // due days ago
    const scanner = new SlaTimerScanner(dataSource, calendar);
    await scanner.scanUntilIdle(() => new Date('2026-11-20T02:00:00Z'));
    await scanner.scanUntilIdle(() => new Date('2026-11-20T02:00:00Z'));
    expect((await eventsOf(id)).map((e) => e.type)).toEqual([
      'ticket.sla-warning',
      'ticket.escalated',
      'ticket.overdue',
      'ticket.escalated',
    ]);
  });

  it('lets two scanners race on the same due rows without firing any twice', async () => {
    const start = new Date('2026-11-23T01:00:00Z');
    const ids = await Promise.all(Array.from({ length: 250 }, () => clock(start, 60)));
    const a = new SlaTimerScanner(dataSource, calendar);
    const b = new SlaTimerScanner(dataSource, calendar);
    const at = () => new Date(start.getTime() + 50 * 60_000); // past every warning, before every deadline
    const [firedA, firedB] = await Promise.all([a.scanUntilIdle(at), b.scanUntilIdle(at)]);
    expect(firedA + firedB).toBe(250);
    const rows: { n: number; tickets: number }[] = await dataSource.query(
      `SELECT count(*)::int AS n, count(DISTINCT message_key)::int AS tickets FROM supervision.outbox_message WHERE event_type = 'ticket.sla-warning'`,
    );
    expect(rows[0]).toEqual({ n: 250, tickets: ids.length });
  });

  it('fires every other clock when one cannot fire, and tries that one again a minute later', async () => {
    const start = new Date('2026-11-23T01:00:00Z');
    const good = await Promise.all(Array.from({ length: 3 }, () => clock(start, 60)));
    const bad = await clock(start, 60);
    // Whatever goes wrong while one clock fires (here the database refuses its ticket's update).
    await dataSource.query(`
      CREATE OR REPLACE FUNCTION supervision.refuse_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused for the test'; END $$`);
    await dataSource.query(
      `CREATE TRIGGER refuse_ticket BEFORE UPDATE ON supervision.supervised_ticket
         FOR EACH ROW WHEN (OLD.ticket_id = '${bad}') EXECUTE FUNCTION supervision.refuse_ticket()`,
    );
    const scanner = new SlaTimerScanner(dataSource, calendar);
    const at = new Date(start.getTime() + 50 * 60_000);
    expect(await scanner.scanOnce(at)).toBe(4);
    for (const id of good) expect((await eventsOf(id)).map((e) => e.type)).toEqual(['ticket.sla-warning', 'ticket.escalated']);
    expect(await eventsOf(bad)).toEqual([]);
    const [row] = await dataSource.getRepository(SlaClock).findBy({ ticketId: bad });
    expect(row).toMatchObject({ stage: 'warning', nextDueAt: new Date(at.getTime() + FAILED_CLOCK_RETRY_MS) });
    expect(await scanner.scanOnce(at)).toBe(0); // not again at once
    // Once the cause is fixed, the next try fires it.
    await dataSource.query(`DROP TRIGGER refuse_ticket ON supervision.supervised_ticket`);
    expect(await scanner.scanOnce(new Date(at.getTime() + FAILED_CLOCK_RETRY_MS))).toBe(1);
    expect((await eventsOf(bad)).map((e) => e.type)).toEqual(['ticket.sla-warning', 'ticket.escalated']);
  });
});
