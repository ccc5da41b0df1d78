import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DemandType, Urgency } from '@hotline/contracts';

/**
 * Where the loop stands for supervision: the department handles it, a reply waits for review,
 * the citizen waits for the call-back, or it is closed.
 */
export type SupervisionStatus = 'handling' | 'awaiting-review' | 'awaiting-callback' | 'closed';

/** What supervision keeps of a ticket to pick its SLA limits and address its notices. */
@Entity({ name: 'supervised_ticket' })
export class SupervisedTicket {
  @PrimaryColumn({ name: 'ticket_id', type: 'uuid' })
  ticketId: string;

  @Column({ type: 'text' })
  number: string;

  @Column({ name: 'demand_type', type: 'text' })
  demandType: DemandType;

  @Column({ type: 'text' })
  urgency: Urgency;

  /** Null for a consultation answered on the call: no department ever had it. */
  @Column({ name: 'department_id', type: 'uuid', nullable: true })
  departmentId: string | null;

  @Column({ name: 'region_code', type: 'text' })
  regionCode: string;

  @Column({ type: 'text', default: 'handling' })
  status: SupervisionStatus;

  @Column({ name: 'resolved_on_call', type: 'boolean', default: false })
  resolvedOnCall: boolean;

  @Column({ name: 'reopen_count', type: 'int', default: 0 })
  reopenCount: number;

  @Column({ name: 'callback_attempts', type: 'int', default: 0 })
  callbackAttempts: number;

  /** 0 none, 1 催办, 2 督办, 3 挂牌督办: the highest reached. */
  @Column({ name: 'escalation_level', type: 'int', default: 0 })
  escalationLevel: number;

  @Column({ name: 'extension_days_total', type: 'int', default: 0 })
  extensionDaysTotal: number;

  @Column({ name: 'repeat_count', type: 'int', default: 0 })
  repeatCount: number;

  /** The last event of the ticket this service wrote or applied: the cause of the next. */
  @Column({ name: 'correlation_id', type: 'uuid', nullable: true })
  correlationId: string | null;

  @Column({ name: 'last_event_id', type: 'uuid', nullable: true })
  lastEventId: string | null;
}
