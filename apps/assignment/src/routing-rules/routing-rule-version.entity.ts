import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RoutingConfidence, RuleMatch, RuleTarget } from './routing-rule.model';

export const RULE_CHANGES = ['created', 'updated', 'retired'] as const;
export type RuleChange = (typeof RULE_CHANGES)[number];

/** The rule as it was after a change. */
export interface RoutingRuleSnapshot {
  name: string;
  priority: number;
  active: boolean;
  match: RuleMatch;
  target: RuleTarget;
  coHandlerCodes: string[];
  confidence: RoutingConfidence;
}

/** 规则版本 — each version of a rule, who made it and when; append-only. */
@Entity({ name: 'routing_rule_version' })
export class RoutingRuleVersion {
  @PrimaryColumn({ name: 'rule_id', type: 'uuid' })
  ruleId: string;

  @PrimaryColumn({ type: 'int' })
  version: number;

  @Column({ type: 'text' })
  change: RuleChange;

  @Column({ type: 'jsonb' })
  snapshot: RoutingRuleSnapshot;

  @Column({ name: 'changed_by', type: 'text' })
  changedBy: string;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt: Date;
}
