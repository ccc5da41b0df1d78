import type { DataSource } from 'typeorm';
import type { CounterDimension } from './daily-counter.entity';

/** One counter's days, read by `daily_counter_series_idx` (≤ 366 index entries for a year). */
export const COUNTER_SERIES_SQL = `SELECT to_char(day, 'YYYY-MM-DD') AS day, value FROM metrics.daily_counter
  WHERE dimension = $1 AND dimension_key = $2 AND measure = $3 AND day BETWEEN $4 AND $5`;

export interface CounterSeriesQuery {
  dimension: CounterDimension;
  key: string;
  measure: string;
  /** Days YYYY-MM-DD, both included. */
  from: string;
  to: string;
}

/** The counter's value on each day from `from` to `to` that has one (days without are absent). */
export async function readCounterSeries(dataSource: DataSource, q: CounterSeriesQuery): Promise<Map<string, number>> {
  const rows: { day: string; value: string }[] = await dataSource.query(COUNTER_SERIES_SQL, [q.dimension, q.key, q.measure, q.from, q.to]);
  return new Map(rows.map((r) => [r.day, Number(r.value)]));
}
