import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The dimensions a measure is counted along (DOMAIN.md "Measures"). */
export const COUNTER_DIMENSIONS = ['all', 'department', 'region', 'domain', 'demand-type', 'channel'] as const;
export type CounterDimension = (typeof COUNTER_DIMENSIONS)[number];

/** 日统计 — how many of a measure happened on a day (Asia/Shanghai) for one key of a dimension. */
@Entity({ name: 'daily_counter' })
export class DailyCounter {
  @PrimaryColumn({ type: 'date' })
  day: string;

  @PrimaryColumn({ type: 'text' })
  dimension: CounterDimension;

  @PrimaryColumn({ name: 'dimension_key', type: 'text' })
  dimensionKey: string;

  @PrimaryColumn({ type: 'text' })
  measure: string;

  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  value: number;
}
