import type { DemandType, SlaUnit, Urgency } from '@hotline/contracts';

export interface SlaLimit {
  amount: number;
  unit: SlaUnit;
}

/** One row of the SLA policy: the limits for a demand type at an urgency. */
export interface SlaPolicyRule {
  demandType: DemandType;
  urgency: Urgency;
  signFor: SlaLimit;
  reply: SlaLimit;
  /** Fraction of the allowed time at which the clock turns yellow (预警). */
  warningFraction: number;
}

const urgent = { signFor: { amount: 2, unit: 'hours' }, reply: { amount: 24, unit: 'hours' } } as const;
const normalReply: Record<DemandType, number> = {
  consultation: 2,
  help: 5,
  complaint: 5,
  report: 13,
  suggestion: 13,
  praise: 13,
};

/**
 * Version 1 of the SLA policy: the defaults of DOMAIN.md. Seeded as data by the migration;
 * later versions are written by administrators and every clock records the version it used.
 */
export function defaultSlaPolicy(): SlaPolicyRule[] {
  return (Object.keys(normalReply) as DemandType[]).flatMap((demandType) => [
    {
      demandType,
      urgency: 'normal' as const,
      signFor: { amount: 1, unit: 'working-days' as const },
      reply: { amount: normalReply[demandType], unit: 'working-days' as const },
      warningFraction: 0.75,
    },
    { demandType, urgency: 'urgent' as const, ...urgent, warningFraction: 0.75 },
  ]);
}
