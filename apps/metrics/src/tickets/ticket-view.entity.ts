import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BusinessDomain, Channel, DemandType, TicketStatus, Urgency } from '@hotline/contracts';

/**
 * 工单视图 — a ticket's current state as projected from every topic. Events of one ticket
 * come from three topics and may arrive in any order, so every column may be filled late.
 */
@Entity({ name: 'ticket_view' })
export class TicketView {
  @PrimaryColumn({ name: 'ticket_id', type: 'uuid' })
  ticketId: string;

  @Column({ type: 'text', nullable: true })
  number: string | null;

  @Column({ type: 'text', nullable: true })
  status: TicketStatus | null;

  @Column({ type: 'text', nullable: true })
  channel: Channel | null;

  @Column({ name: 'demand_type', type: 'text', nullable: true })
  demandType: DemandType | null;

  @Column({ type: 'text', nullable: true })
  domain: BusinessDomain | null;

  @Column({ type: 'text', nullable: true })
  urgency: Urgency | null;

  @Column({ name: 'region_code', type: 'text', nullable: true })
  regionCode: string | null;

  @Column({ type: 'text', nullable: true })
  title: string | null;

  @Column({ name: 'department_id', type: 'uuid', nullable: true })
  departmentId: string | null;

  @Column({ name: 'department_name', type: 'text', nullable: true })
  departmentName: string | null;

  /** The first department the ticket went to: its receipt is counted there. */
  @Column({ name: 'first_department_id', type: 'uuid', nullable: true })
  firstDepartmentId: string | null;

  @Column({ name: 'received_at', type: 'timestamptz', nullable: true })
  receivedAt: Date | null;

  @Column({ name: 'assigned_at', type: 'timestamptz', nullable: true })
  assignedAt: Date | null;

  @Column({ name: 'sign_for_deadline', type: 'timestamptz', nullable: true })
  signForDeadline: Date | null;

  @Column({ name: 'reply_deadline', type: 'timestamptz', nullable: true })
  replyDeadline: Date | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  /** When the status last moved: a status change older than this is not applied. */
  @Column({ name: 'status_at', type: 'timestamptz', nullable: true })
  statusAt: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ type: 'boolean', default: false })
  warning: boolean;

  @Column({ type: 'boolean', default: false })
  overdue: boolean;

  /** When the flags were last raised and last cleared by a signing: the flags are judged by time. */
  @Column({ name: 'warning_at', type: 'timestamptz', nullable: true })
  warningAt: Date | null;

  @Column({ name: 'overdue_at', type: 'timestamptz', nullable: true })
  overdueAt: Date | null;

  @Column({ name: 'flags_reset_at', type: 'timestamptz', nullable: true })
  flagsResetAt: Date | null;

  /** 0 none, 1 催办, 2 督办, 3 挂牌督办. */
  @Column({ name: 'escalation_level', type: 'int', default: 0 })
  escalationLevel: number;

  @Column({ name: 'callback_count', type: 'int', default: 0 })
  callbackCount: number;

  /** 重复诉求 linked to this ticket (并单). */
  @Column({ name: 'repeat_count', type: 'int', default: 0 })
  repeatCount: number;
}
