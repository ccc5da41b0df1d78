import { Column, Entity, PrimaryColumn } from 'typeorm';

/** 延期申请 as supervision decides it. */
@Entity({ name: 'extension_request' })
export class ExtensionRequest {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId: string;

  @Column({ name: 'department_id', type: 'uuid' })
  departmentId: string;

  @Column({ name: 'working_days', type: 'int' })
  workingDays: number;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'text', default: 'pending' })
  status: 'pending' | 'approved' | 'denied';

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt: Date;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'decided_by', type: 'text', nullable: true })
  decidedBy: string | null;

  @Column({ type: 'text', nullable: true })
  comment: string | null;
}
