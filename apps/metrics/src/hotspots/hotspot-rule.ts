/**
 * When a day's demands about one matter count as a hotspot (热点): at least `minCount` of them,
 * and at least `ratio` times the average day of the `baselineDays` before. The floor keeps a
 * quiet matter's third call from alarming anyone; the ratio scales with what is normal there.
 */
export interface HotspotRule {
  minCount: number;
  ratio: number;
  baselineDays: number;
}

export const DEFAULT_HOTSPOT_RULE: HotspotRule = { minCount: 5, ratio: 3, baselineDays: 28 };

export function hotspotThreshold(rule: HotspotRule, baselineTotal: number): number {
  const baselineDailyAverage = baselineTotal / rule.baselineDays;
  return Math.max(rule.minCount, Math.ceil(rule.ratio * baselineDailyAverage));
}

export function isHotspot(rule: HotspotRule, todayCount: number, baselineTotal: number): boolean {
  return todayCount >= hotspotThreshold(rule, baselineTotal);
}
