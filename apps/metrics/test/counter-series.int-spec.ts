import { migratedServiceDatabase } from '@hotline/testing';
import { DataSource } from 'typeorm';
import { COUNTER_SERIES_SQL, readCounterSeries } from '../src/counters/counter-series';
import { METRICS_DATABASE } from '../src/database/metrics.database';

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

/**
 * A year-long trend reads one series' days, not every counter of the year: with a year of
 * counters for 50 departments the plan must take the series index and touch only that series.
 */
describe('a counter series over a year (real PostgreSQL)', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await migratedServiceDatabase('metrics', 'hotline_test_metrics_series', METRICS_DATABASE, { maxConnections: 2 });
    // 366 days × 50 departments × 4 measures (73,200 counters), every third day of d01's received left at 0.
    await dataSource.query(`
      INSERT INTO metrics.daily_counter (day, dimension, dimension_key, measure, value)
      SELECT day::date, 'department', 'd' || lpad(d::text, 2, '0'), m, d * 1000 + extract(doy FROM day)::int
        FROM generate_series('2025-11-23'::date, '2026-11-23'::date, interval '1 day') AS day,
             generate_series(1, 50) AS d,
             unnest(ARRAY['received', 'accepted', 'closed', 'overdue']) AS m
       WHERE NOT (d = 1 AND m = 'received' AND extract(doy FROM day)::int % 3 = 0)`);
    await dataSource.query('ANALYZE metrics.daily_counter');
  });

  afterAll(() => dataSource?.destroy());

  const query = { dimension: 'department' as const, key: 'd07', measure: 'closed', from: '2025-11-23', to: '2026-11-23' };

  it('answers the series day by day', async () => {
    const series = await readCounterSeries(dataSource, query);
    expect(series.size).toBe(366);
    expect(series.get('2026-02-01')).toBe(7032);
    const gaps = await readCounterSeries(dataSource, { ...query, key: 'd01', measure: 'received' });
    expect(gaps.size).toBe(244);
    expect(gaps.has('2026-01-03')).toBe(false);
    expect(gaps.get('2026-01-04')).toBe(1004);
  });

  it('reads the series index and only the series’ rows', async () => {
    const [{ 'QUERY PLAN': [plan] }] = await dataSource.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${COUNTER_SERIES_SQL}`, [
      query.dimension,
      query.key,
      query.measure,
      query.from,
      query.to,
    ]);
    const all = nodes(plan.Plan as PlanNode);
    const scans = all.filter((n) => n['Node Type'].includes('Scan'));
    expect(scans.map((n) => n['Index Name'])).toEqual(['daily_counter_series_idx']);
    expect(all.reduce((sum, n) => sum + (n['Rows Removed by Filter'] ?? 0) + (n['Rows Removed by Index Recheck'] ?? 0), 0)).toBe(0);
    expect(scans[0]['Actual Rows']).toBe(366);
  });
});
