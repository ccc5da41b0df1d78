import { Column, Entity, PrimaryColumn } from 'typeorm';

/** 暂停计时 — waiting for the citizen's materials: requested by the handler, decided here, audited. */
@Entity({ name: 'pause_request' })
export class PauseRequest {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'text', default: 'pending' })
  status: 'pending' | 'approved' | 'denied';

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt: Date;

  @Column({ name: 'decided_by', type: 'text', nullable: true })
  decidedBy: string | null;

  @Column({ name: 'paused_at', type: 'timestamptz', nullable: true })
  pausedAt: Date | null;

  @Column({ name: 'resumed_at', type: 'timestamptz', nullable: true })
  resumedAt: Date | null;

  /** The clock's time left when it stopped, in milliseconds of working time (or natural time for natural units). */
  @Column({ name: 'remaining', type: 'bigint', nullable: true, transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) } })
  remaining: number | null;
}
