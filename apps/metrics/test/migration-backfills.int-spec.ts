import { uuidv7 } from '@hotline/contracts';
import { migratedServiceDatabase } from '@hotline/testing';
import { DataSource } from 'typeorm';
import { METRICS_DATABASE } from '../src/database/metrics.database';
import { DepartmentCharges1765400000000 } from '../src/database/migrations/1765400000000-department-charges';
import { TicketViewFlagTimes1765500000000 } from '../src/database/migrations/1765500000000-ticket-view-flag-times';
import { DepartmentMonths1765600000000 } from '../src/database/migrations/1765600000000-department-months';
import { BreakdownMonths1765800000000 } from '../src/database/migrations/1765800000000-breakdown-months';
import { breakdownOf, ticketsBehindBreakdown } from '../src/breakdown/breakdown';
import { departmentMeasures, ticketsBehind } from '../src/department-measures/department-measures';

/**
 * Migrations that add state derived from what a running installation already holds: each is
 * taken down and run again over projected data, and must derive the same state the projection
 * keeps for new events.
 */
describe('metrics migrations that backfill (real PostgreSQL)', () => {
  let dataSource: DataSource;
  const ticketId = uuidv7();
  const department = uuidv7();
  const closedEvent = uuidv7();
  const repeatEvent = uuidv7();

  beforeAll(async () => {
    dataSource = await migratedServiceDatabase('metrics', 'hotline_test_metrics_backfill', METRICS_DATABASE, { maxConnections: 2 });
    const entry = (eventId: string, type: string, at: string, payload: object) =>
      dataSource.query(
        `INSERT INTO metrics.timeline_entry (event_id, ticket_id, type, version, occurred_at, producer, actor, correlation_id, causation_id, payload)
         VALUES ($1, $2, $3, 1, $4, 'test', '{}'::jsonb, $1, NULL, $5)`,
        [eventId, ticketId, type, at, JSON.stringify(payload)],
      );
    await entry(uuidv7(), 'ticket.assigned', '2026-11-20T02:00:00Z', { departmentId: department });
    await entry(uuidv7(), 'ticket.sla-warning', '2026-11-20T05:00:00Z', {});
    await entry(uuidv7(), 'ticket.accepted', '2026-11-20T06:00:00Z', {});
    await entry(uuidv7(), 'ticket.overdue', '2026-11-21T05:00:00Z', {});
    await entry(repeatEvent, 'ticket.repeat-linked', '2026-11-20T03:00:00Z', { receivedAt: '2026-11-20T03:00:00Z' });
    await entry(closedEvent, 'ticket.closed', '2026-11-22T15:59:00Z', { closedAt: '2026-11-22T15:59:00Z' });
    // Counted for the department as the projection did before charges were kept (the repeat was not).
    await dataSource.query(
      `INSERT INTO metrics.counter_contribution (event_id, ticket_id, day, dimension, dimension_key, measure, value)
       VALUES ($1, $2, '2026-11-22', 'department', $3, 'closed', 1), ($1, $2, '2026-11-22', 'all', 'all', 'closed', 1)`,
      [closedEvent, ticketId, department],
    );
    await dataSource.query(
      `INSERT INTO metrics.ticket_view (ticket_id, warning, overdue, region_code, domain, demand_type, channel)
       VALUES ($1, false, true, '500156', 'wage-arrears', 'complaint', 'hotline')`,
      [ticketId],
    );
  });

  afterAll(() => dataSource?.destroy());

  type Migration = { up(q: unknown): Promise<void>; down(q: unknown): Promise<void> };

  /** Takes the migrations down, last first, and runs them up again in order. */
  async function again(...migrations: Migration[]): Promise<void> {
    const runner = dataSource.createQueryRunner();
    try {
      for (const m of [...migrations].reverse()) await m.down(runner);
      for (const m of migrations) await m.up(runner);
    } finally {
      await runner.release();
    }
  }

  it('carries the departments already charged over into department_charge, on the right day and measure', async () => {
    await again(new DepartmentCharges1765400000000());
    const rows = await dataSource.query(
      `SELECT event_id, to_char(day, 'YYYY-MM-DD') AS day, measure, department_id FROM metrics.department_charge ORDER BY measure`,
    );
    expect(rows).toEqual([
      // 15:59 UTC on the 22nd is 23:59 in Shanghai.
      { event_id: closedEvent, day: '2026-11-22', measure: 'closed', department_id: department },
      { event_id: repeatEvent, day: '2026-11-20', measure: 'repeats', department_id: null },
    ]);
  });

  it('dates the flags from the timeline: the warning before the signing is cleared, the overdue after it stays', async () => {
    await again(new TicketViewFlagTimes1765500000000());
    const [view] = await dataSource.query(
      `SELECT warning_at, overdue_at, flags_reset_at FROM metrics.ticket_view WHERE ticket_id = $1`,
      [ticketId],
    );
    expect(view).toEqual({
      warning_at: new Date('2026-11-20T05:00:00Z'),
      overdue_at: new Date('2026-11-21T05:00:00Z'),
      flags_reset_at: new Date('2026-11-20T06:00:00Z'),
    });
  });

  it('counts the department table from the timeline: each occurrence for the department that held the ticket, in its Shanghai month', async () => {
    // Counted by the later migration that adds the breakdown (the recount writes its columns).
    await again(new DepartmentMonths1765600000000(), new BreakdownMonths1765800000000());
    const rows: { month: string; measure: string; n: number }[] = await dataSource.query(
      `SELECT month, measure, n FROM metrics.department_measure_entry WHERE ticket_id = $1 AND department_id = $2 ORDER BY measure`,
      [ticketId, department],
    );
    // Closed at 23:59 in Shanghai on the 22nd; the acceptance names no department, so it counts for none.
    expect(rows).toEqual([
      { month: '2026-11', measure: 'assigned', n: 1 },
      { month: '2026-11', measure: 'closed', n: 1 },
      { month: '2026-11', measure: 'repeats', n: 1 },
    ]);
    const [table] = await departmentMeasures(dataSource.manager, '2026-11');
    expect(table).toMatchObject({ departmentId: department, assigned: 1, closed: 1, closedOnTime: 0, repeats: 1, accepted: 0 });
    expect(await ticketsBehind(dataSource.manager, '2026-11', department, 'closed')).toEqual([ticketId]);
    expect(await departmentMeasures(dataSource.manager, '2026-10')).toEqual([]);
  });

  it('regroups a department table already counted by the tickets’ district, domain, demand type and channel (分类统计)', async () => {
    const expected = { key: '500156', name: '武隆区', assigned: 1, closed: 1, closedOnTime: 0, repeats: 1, received: 0 };
    expect(await breakdownOf(dataSource.manager, '2026-11', 'region')).toEqual([expect.objectContaining(expected)]);
    // From the entries the earlier release counted: the attributes and the sums in two statements.
    await again(new BreakdownMonths1765800000000());
    const byDimension = await Promise.all(
      (['region', 'domain', 'demand-type', 'channel'] as const).map((d) => breakdownOf(dataSource.manager, '2026-11', d)),
    );
    expect(byDimension.map((rows) => rows.map((r) => [r.key, r.assigned, r.closed, r.repeats]))).toEqual([
      [['500156', 1, 1, 1]],
      [['wage-arrears', 1, 1, 1]],
      [['complaint', 1, 1, 1]],
      [['hotline', 1, 1, 1]],
    ]);
    expect(byDimension[0][0].rates).toMatchObject({ onTimeCompletion: 0, completion: null });
    expect(await ticketsBehindBreakdown(dataSource.manager, '2026-11', 'channel', 'hotline', 'closed')).toEqual([ticketId]);
    expect(await ticketsBehindBreakdown(dataSource.manager, '2026-11', 'channel', 'web', 'closed')).toEqual([]);
  });
});
