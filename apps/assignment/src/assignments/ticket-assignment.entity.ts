import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BusinessDomain, DemandType, Urgency } from '@hotline/contracts';
import type { AssignmentStatus } from '../handling/assignment-state';

/** 承办记录 — which department a ticket is with, where its work stands, and when it is due. */
@Entity({ name: 'ticket_assignment' })
export class TicketAssignment {
  @PrimaryColumn({ name: 'ticket_id', type: 'uuid' })
  ticketId: string;

  @Column({ type: 'text' })
  number: string;

  @Column({ type: 'text', default: '' })
  title: string;

  /** The main department (主办); null while the ticket waits in the dispatcher's queue. */
  @Column({ name: 'department_id', type: 'uuid', nullable: true })
  departmentId: string | null;

  @Column({ type: 'text' })
  status: AssignmentStatus;

  @Column({ name: 'region_code', type: 'text' })
  regionCode: string;

  @Column({ type: 'text' })
  domain: BusinessDomain;

  @Column({ name: 'demand_type', type: 'text' })
  demandType: DemandType;

  @Column({ type: 'text' })
  urgency: Urgency;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ name: 'assigned_at', type: 'timestamptz', nullable: true })
  assignedAt: Date | null;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt: Date | null;

  @Column({ name: 'replied_at', type: 'timestamptz', nullable: true })
  repliedAt: Date | null;

  @Column({ name: 'return_count', type: 'int', default: 0 })
  returnCount: number;

  @Column({ name: 'reopen_count', type: 'int', default: 0 })
  reopenCount: number;

  /** The department that returned the ticket and why, while the dispatcher decides. */
  @Column({ name: 'returned_by', type: 'uuid', nullable: true })
  returnedBy: string | null;

  @Column({ name: 'return_reason', type: 'text', nullable: true })
  returnReason: string | null;

  /** Why a reviewer sent the reply back, or why a ticket was reopened: shown in the inbox. */
  @Column({ name: 'review_reason', type: 'text', nullable: true })
  reviewReason: string | null;

  @Column({ name: 'suggested_department_id', type: 'uuid', nullable: true })
  suggestedDepartmentId: string | null;

  @Column({ name: 'sign_for_deadline', type: 'timestamptz', nullable: true })
  signForDeadline: Date | null;

  @Column({ name: 'reply_deadline', type: 'timestamptz', nullable: true })
  replyDeadline: Date | null;

  @Column({ name: 'sign_for_warning_at', type: 'timestamptz', nullable: true })
  signForWarningAt: Date | null;

  @Column({ name: 'reply_warning_at', type: 'timestamptz', nullable: true })
  replyWarningAt: Date | null;

  /** 退单时限 from supervision's calendar (overrides included); null until its sign-for clock is announced. */
  @Column({ name: 'return_by', type: 'timestamptz', nullable: true })
  returnBy: Date | null;

  /** The ticket's first event id and the last event this service wrote or applied for it. */
  @Column({ name: 'correlation_id', type: 'uuid', nullable: true })
  correlationId: string | null;

  @Column({ name: 'last_event_id', type: 'uuid', nullable: true })
  lastEventId: string | null;
}
