import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RoutingConfidence, RoutingRuleData, RuleMatch, RuleTarget } from './routing-rule.model';

/**
 * 派单规则 — one routing rule as data. Every change bumps `version` and writes a
 * RoutingRuleVersion in the same transaction; a retired rule stays for the record.
 */
@Entity({ name: 'routing_rule' })
export class RoutingRule implements RoutingRuleData {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** Lower is tried earlier; unique among active rules (partial unique index). */
  @Column({ type: 'int' })
  priority: number;

  /** False once retired (停用): never tried again, kept with its versions. */
  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ type: 'jsonb' })
  match: RuleMatch;

  @Column({ type: 'jsonb' })
  target: RuleTarget;

  @Column({ name: 'co_handler_codes', type: 'text', array: true })
  coHandlerCodes: string[];

  @Column({ type: 'text' })
  confidence: RoutingConfidence;

  /** 1 on creation, +1 on every change; a routing decision records the version it used. */
  @Column({ type: 'int' })
  version: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /** Username of whoever made the latest change. */
  @Column({ name: 'updated_by', type: 'text' })
  updatedBy: string;
}
