import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BusinessDomain, Channel, DemandType, Disposition, Urgency } from '@hotline/contracts';

export interface AttachmentRef {
  name: string;
  reference: string;
}

/** 工单 — the demand as intake recorded it. Intake is the owner of what the citizen said. */
@Entity({ name: 'ticket' })
export class Ticket {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** 工单编号, e.g. 12333-20261122-000123: unique, readable over the phone. */
  @Column({ type: 'text', unique: true })
  number: string;

  @Column({ type: 'text' })
  channel: Channel;

  @Column({ name: 'demand_type', type: 'text' })
  demandType: DemandType;

  @Column({ type: 'text' })
  domain: BusinessDomain;

  @Column({ name: 'category_code', type: 'text', nullable: true })
  categoryCode: string | null;

  @Column({ type: 'text' })
  urgency: Urgency;

  @Column({ name: 'region_code', type: 'text' })
  regionCode: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  content: string;

  @Column({ name: 'caller_name', type: 'text' })
  callerName: string;

  /** 个人信息: encrypted at rest (PiiCipher); shown masked, revealed only with an audited reason. */
  @Column({ name: 'caller_phone_cipher', type: 'text' })
  callerPhoneCipher: string;

  @Column({ name: 'caller_id_number_cipher', type: 'text', nullable: true })
  callerIdNumberCipher: string | null;

  /** Keyed hash of the phone number: what repeat detection and other services see. */
  @Column({ name: 'caller_phone_hash', type: 'text' })
  callerPhoneHash: string;

  @Column({ name: 'employer_name', type: 'text', nullable: true })
  employerName: string | null;

  @Column({ name: 'people_affected', type: 'int', nullable: true })
  peopleAffected: number | null;

  @Column({ type: 'text', nullable: true })
  address: string | null;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  attachments: AttachmentRef[];

  @Column({ name: 'desired_contact_time', type: 'text', nullable: true })
  desiredContactTime: string | null;

  /** dispatch, or resolved-on-call (即时办结) with the answer given. */
  @Column({ type: 'text', default: 'dispatch' })
  disposition: Disposition;

  @Column({ type: 'text', nullable: true })
  answer: string | null;

  @Column({ name: 'knowledge_id', type: 'uuid', nullable: true })
  knowledgeId: string | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  /** 重复诉求 linked to this ticket instead of becoming tickets of their own. */
  @Column({ name: 'repeat_count', type: 'int', default: 0 })
  repeatCount: number;

  /** The employer's name normalised for matching repeats about the same employer. */
  @Column({ name: 'employer_key', type: 'text', nullable: true })
  employerKey: string | null;

  /** Why the operator created a new ticket although repeat candidates were shown. */
  @Column({ name: 'repeat_override_reason', type: 'text', nullable: true })
  repeatOverrideReason: string | null;

  /** The ticket.received event: the correlation id of everything that follows. */
  @Column({ name: 'received_event_id', type: 'uuid', nullable: true })
  receivedEventId: string | null;

  /** 办结 as supervision reported it; null while open (or reopened). */
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ name: 'created_by', type: 'text', nullable: true })
  createdBy: string | null;

  @Column({ name: 'created_by_username', type: 'text', nullable: true })
  createdByUsername: string | null;
}
