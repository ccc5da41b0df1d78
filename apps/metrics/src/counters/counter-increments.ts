import { EntityManager } from 'typeorm';
import { CounterDimension } from './daily-counter.entity';

export interface CounterIncrement {
  day: string;
  dimension: CounterDimension;
  key: string;
  measure: string;
  by?: number;
}

/** The Asia/Shanghai calendar day (YYYY-MM-DD) of an ISO instant. */
export function shanghaiDate(iso: string | Date): string {
  const t = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Adds to the counters in one statement; must run in the consumer's transaction. */
export async function incrementCounters(manager: EntityManager, increments: CounterIncrement[]): Promise<void> {
  if (!increments.length) return;
  const values: unknown[] = [];
  const rows = increments.map((inc, i) => {
    values.push(inc.day, inc.dimension, inc.key, inc.measure, inc.by ?? 1);
    const p = i * 5;
    return `($${p + 1}::date, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}::bigint)`;
  });
  await manager.query(
    `INSERT INTO metrics.daily_counter (day, dimension, dimension_key, measure, value)
     VALUES ${rows.join(', ')}
     ON CONFLICT (day, dimension, dimension_key, measure)
     DO UPDATE SET value = daily_counter.value + EXCLUDED.value`,
    values,
  );
}
