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

/**
 * Adds to the counters, and records the event's contribution to each (for the tickets behind a
 * number), in two statements; must run in the consumer's transaction.
 */
export async function incrementCounters(
  manager: EntityManager,
  increments: CounterIncrement[],
  source: { eventId: string; ticketId: string },
): Promise<void> {
  if (!increments.length) return;
  // One event never moves the same counter twice in one go: merge, so both statements see one row each.
  const merged = new Map<string, CounterIncrement & { by: number }>();
  for (const inc of increments) {
    const key = [inc.day, inc.dimension, inc.key, inc.measure].join('\u0000');
    const seen = merged.get(key);
    if (seen) seen.by += inc.by ?? 1;
    else merged.set(key, { ...inc, by: inc.by ?? 1 });
  }
  const rows = [...merged.values()];
  const values: unknown[] = [];
  const tuples = rows.map((inc, i) => {
    values.push(inc.day, inc.dimension, inc.key, inc.measure, inc.by);
    const p = i * 5;
    return `($${p + 1}::date, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}::bigint)`;
  });
  await manager.query(
    `INSERT INTO metrics.daily_counter (day, dimension, dimension_key, measure, value)
     VALUES ${tuples.join(', ')}
     ON CONFLICT (day, dimension, dimension_key, measure)
     DO UPDATE SET value = daily_counter.value + EXCLUDED.value`,
    values,
  );
  const n = values.length;
  await manager.query(
    `INSERT INTO metrics.counter_contribution (event_id, ticket_id, day, dimension, dimension_key, measure, value)
     SELECT $${n + 1}::uuid, $${n + 2}::uuid, day, dimension, dimension_key, measure, value
       FROM (VALUES ${tuples.join(', ')}) AS c (day, dimension, dimension_key, measure, value)`,
    [...values, source.eventId, source.ticketId],
  );
}
