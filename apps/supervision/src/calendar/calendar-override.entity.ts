import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SpecialDayKind } from '@hotline/calendar';

/** How a version came about. */
export const OVERRIDE_CHANGES = ['created', 'updated', 'deactivated', 'reactivated'] as const;
export type OverrideChange = (typeof OVERRIDE_CHANGES)[number];

/**
 * 日历调整 — an administrator's change to the official calendar for one date: an extra local
 * holiday, a cancelled or moved make-up working day. One row per date, at its latest version;
 * an inactive row is kept for the record and ignored by the arithmetic.
 */
@Entity({ name: 'calendar_override' })
export class CalendarOverrideRow {
  /** YYYY-MM-DD, Asia/Shanghai (PostgreSQL `date`, read back as that string). */
  @PrimaryColumn({ type: 'date' })
  date: string;

  @Column({ type: 'text' })
  kind: SpecialDayKind;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ name: 'changed_by', type: 'text' })
  changedBy: string;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt: Date;
}

/** Each version of an override, who made it and when; append-only. */
@Entity({ name: 'calendar_override_version' })
export class CalendarOverrideVersion {
  @PrimaryColumn({ type: 'date' })
  date: string;

  @PrimaryColumn({ type: 'int' })
  version: number;

  @Column({ type: 'text' })
  change: OverrideChange;

  @Column({ type: 'text' })
  kind: SpecialDayKind;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ name: 'changed_by', type: 'text' })
  changedBy: string;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt: Date;
}
