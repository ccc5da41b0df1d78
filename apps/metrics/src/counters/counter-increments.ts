import { EntityManager } from 'typeorm';
import { CounterDimension } from './daily-counter.entity';

export interface CounterIncrement {
  day: string;
  dimension: CounterDimension;
  key: string;
  measure: string;
  by?: number;
}

/** The event (of a ticket) a counter move is recorded against, for the tickets behind a number. */
export interface CounterSource {
  eventId: string;
  ticketId: string;
}

/** The Asia/Shanghai calendar day (YYYY-MM-DD) of an ISO instant. */
export function shanghaiDate(iso: string | Date): string {
  const t = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 10);
}

const counterKey = (inc: CounterIncrement): string => [inc.day, inc.dimension, inc.key, inc.measure].join('\u0000');

/**
 * The counter increments of one transaction, summed per counter, and each event's contribution
 * to them; written in two statements at the end (`write`), whatever the number of events — one
 * round trip per statement and event was most of the projection's time.
 */
export class CounterIncrements {
  private readonly counters = new Map<string, CounterIncrement & { by: number }>();
  private readonly contributions = new Map<string, CounterIncrement & CounterSource & { by: number }>();

  add(increments: readonly CounterIncrement[], source: CounterSource): void {
    for (const inc of increments) {
      const by = inc.by ?? 1;
      const key = counterKey(inc);
      const counter = this.counters.get(key);
      if (counter) counter.by += by;
      else this.counters.set(key, { day: inc.day, dimension: inc.dimension, key: inc.key, measure: inc.measure, by });
      const contributionKey = `${source.eventId}\u0000${key}`;
      const contribution = this.contributions.get(contributionKey);
      if (contribution) contribution.by += by;
      // The source's two ids only: callers pass the whole event, and spreading it copied every
      // field of it into each contribution (a tenth of a replay's CPU, and its garbage).
      else
        this.contributions.set(contributionKey, {
          day: inc.day,
          dimension: inc.dimension,
          key: inc.key,
          measure: inc.measure,
          eventId: source.eventId,
          ticketId: source.ticketId,
          by,
        });
    }
  }

  get size(): number {
    return this.counters.size;
  }

  /** Adds everything collected to the counters and records the contributions; then starts empty. */
  async write(manager: EntityManager): Promise<void> {
    if (!this.counters.size) return;
    // Sorted, so two writers would lock shared counter rows in one order.
    const counters = [...this.counters.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, c]) => c);
    await manager.query(
      `INSERT INTO metrics.daily_counter (day, dimension, dimension_key, measure, value)
       SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::bigint[])
       ON CONFLICT (day, dimension, dimension_key, measure)
       DO UPDATE SET value = daily_counter.value + EXCLUDED.value`,
      [
        counters.map((c) => c.day),
        counters.map((c) => c.dimension),
        counters.map((c) => c.key),
        counters.map((c) => c.measure),
        counters.map((c) => c.by),
      ],
    );
    const contributions = [...this.contributions.values()];
    await manager.query(
      `INSERT INTO metrics.counter_contribution (event_id, ticket_id, day, dimension, dimension_key, measure, value)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::text[], $5::text[], $6::text[], $7::bigint[])`,
      [
        contributions.map((c) => c.eventId),
        contributions.map((c) => c.ticketId),
        contributions.map((c) => c.day),
        contributions.map((c) => c.dimension),
        contributions.map((c) => c.key),
        contributions.map((c) => c.measure),
        contributions.map((c) => c.by),
      ],
    );
    this.counters.clear();
    this.contributions.clear();
  }
}
