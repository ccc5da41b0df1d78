import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Who published each version of the SLA policy, when and why (the rules are in sla_policy_rule). */
@Entity({ name: 'sla_policy_version' })
export class SlaPolicyVersion {
  @PrimaryColumn({ type: 'int' })
  version: number;

  @Column({ name: 'changed_by', type: 'text' })
  changedBy: string;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt: Date;

  @Column({ type: 'text' })
  note: string;
}
