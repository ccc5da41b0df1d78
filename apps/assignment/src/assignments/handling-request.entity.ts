import { Column, Entity, PrimaryColumn } from 'typeorm';

export type HandlingRequestKind = 'extension' | 'pause';
export type HandlingRequestStatus = 'pending' | 'approved' | 'denied';

/** 延期/暂停申请 — a handler's request that supervision decides. */
@Entity({ name: 'handling_request' })
export class HandlingRequest {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId: string;

  @Column({ type: 'text' })
  kind: HandlingRequestKind;

  @Column({ name: 'department_id', type: 'uuid' })
  departmentId: string;

  @Column({ name: 'working_days', type: 'int', nullable: true })
  workingDays: number | null;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'text', default: 'pending' })
  status: HandlingRequestStatus;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt: Date;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;
}
