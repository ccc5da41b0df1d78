import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A trend reads one counter's days (dimension, key, measure over up to 366 days). The primary key
 * leads with the day, so that read walked every counter of every day in the range — a year of 50
 * departments' counters for one series. This index finds the series' days directly. `value` is
 * left out so that counter increments can stay heap-only updates.
 */
export class DailyCounterSeriesIndex1765700000000 implements MigrationInterface {
  name = 'DailyCounterSeriesIndex1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX daily_counter_series_idx ON metrics.daily_counter (dimension, dimension_key, measure, day)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX metrics.daily_counter_series_idx`);
  }
}
