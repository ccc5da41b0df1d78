import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DemandType, SlaUnit, Urgency } from '@hotline/contracts';

/** 时限规则 — a versioned SLA limit; the highest version in force applies to new clocks. */
@Entity({ name: 'sla_policy_rule' })
export class SlaPolicyRuleRow {
  @PrimaryColumn({ type: 'int' })
  version: number;

  @PrimaryColumn({ name: 'demand_type', type: 'text' })
  demandType: DemandType;

  @PrimaryColumn({ type: 'text' })
  urgency: Urgency;

  @Column({ name: 'sign_for_amount', type: 'int' })
  signForAmount: number;

  @Column({ name: 'sign_for_unit', type: 'text' })
  signForUnit: SlaUnit;

  @Column({ name: 'reply_amount', type: 'int' })
  replyAmount: number;

  @Column({ name: 'reply_unit', type: 'text' })
  replyUnit: SlaUnit;

  @Column({ name: 'warning_fraction', type: 'numeric', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  warningFraction: number;

  /** 挂牌督办 this many working days after the deadline. */
  @Column({ name: 'listing_after_working_days', type: 'int', default: 5 })
  listingAfterWorkingDays: number;

  /** 督办 when a ticket reaches this many linked repeats. */
  @Column({ name: 'repeats_for_supervision', type: 'int', default: 3 })
  repeatsForSupervision: number;
}
