import type { DepartmentRates } from '../department-measures/department-measures';

/** 五色图 colours, best first. */
export const COLOURS = ['dark-green', 'light-green', 'yellow', 'orange', 'red'] as const;
export type Colour = (typeof COLOURS)[number];

/** The composite score (三率) as data: weights of the rates, a penalty for reopens, colour bands. */
export interface ScoringFormula {
  version: number;
  weights: { response: number; resolution: number; satisfaction: number };
  /** Points taken off per unit of reopen rate (a reopen rate of 10 % with 20 costs 2 points). */
  reopenPenalty: number;
  /** Lowest score of each colour but the last, best first (dark-green ≥ 95, …, red below the last). */
  bands: { colour: Colour; min: number }[];
}

export const DEFAULT_FORMULA: Omit<ScoringFormula, 'version'> = {
  weights: { response: 0.3, resolution: 0.4, satisfaction: 0.3 },
  reopenPenalty: 20,
  bands: [
    { colour: 'dark-green', min: 95 },
    { colour: 'light-green', min: 90 },
    { colour: 'yellow', min: 80 },
    { colour: 'orange', min: 70 },
  ],
};

/**
 * 100 × (weighted timely sign-for, on-time completion, satisfaction) − penalty × reopen rate.
 * A rate with nothing to measure (no ticket assigned, closed or called back) leaves its weight
 * out and the others are scaled up; a department with no rate at all has no score.
 */
export function scoreOf(rates: DepartmentRates, formula: Pick<ScoringFormula, 'weights' | 'reopenPenalty'>): number | null {
  const parts: [number | null, number][] = [
    [rates.timelySignFor, formula.weights.response],
    [rates.onTimeCompletion, formula.weights.resolution],
    [rates.satisfaction, formula.weights.satisfaction],
  ];
  const known = parts.filter(([rate, weight]) => rate !== null && weight > 0) as [number, number][];
  const weight = known.reduce((sum, [, w]) => sum + w, 0);
  if (!known.length || weight === 0) return null;
  const weighted = known.reduce((sum, [rate, w]) => sum + rate * w, 0) / weight;
  const score = 100 * weighted - formula.reopenPenalty * (rates.reopenRate ?? 0);
  return Math.round(Math.max(0, score) * 100) / 100;
}

export function colourOf(score: number | null, bands: ScoringFormula['bands']): Colour | null {
  if (score === null) return null;
  return bands.find((b) => score >= b.min)?.colour ?? 'red';
}
