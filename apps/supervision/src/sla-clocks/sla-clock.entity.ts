import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SlaClockKind, SlaUnit } from '@hotline/contracts';

export type SlaClockStatus = 'running' | 'paused' | 'stopped';

/** What `next_due_at` means: the warning, the deadline, or listing 5 working days after it (挂牌). */
export type SlaClockStage = 'warning' | 'deadline' | 'listing' | 'done';

/**
 * 时限计时 — one clock of one ticket. Its due instants are indexed rows, so a scanner can
 * claim what falls due after any restart (the durable timers of the supervision issue).
 */
@Entity({ name: 'sla_clock' })
export class SlaClock {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId: string;

  @Column({ type: 'text' })
  kind: SlaClockKind;

  @Column({ name: 'department_id', type: 'uuid' })
  departmentId: string;

  @Column({ type: 'text' })
  status: SlaClockStatus;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt: Date;

  @Column({ name: 'warning_at', type: 'timestamptz' })
  warningAt: Date;

  @Column({ type: 'timestamptz' })
  deadline: Date;

  @Column({ name: 'limit_amount', type: 'int' })
  limitAmount: number;

  @Column({ name: 'limit_unit', type: 'text' })
  limitUnit: SlaUnit;

  @Column({ name: 'policy_version', type: 'int' })
  policyVersion: number;

  @Column({ name: 'calendar_confirmed', type: 'boolean' })
  calendarConfirmed: boolean;

  /** The next instant something is due (warning, then deadline); null when nothing is. */
  @Column({ name: 'next_due_at', type: 'timestamptz', nullable: true })
  nextDueAt: Date | null;

  @Column({ type: 'text', default: 'warning' })
  stage: SlaClockStage;

  /** Working days granted by approved extensions, on top of the policy's limit. */
  @Column({ name: 'extension_days', type: 'int', default: 0 })
  extensionDays: number;

  @Column({ name: 'stopped_at', type: 'timestamptz', nullable: true })
  stoppedAt: Date | null;

  /** The event that started this clock: one clock per cause, however often it is delivered. */
  @Column({ name: 'started_by_event_id', type: 'uuid', unique: true })
  startedByEventId: string;
}
