import { BUSINESS_DOMAIN_LABELS, CHANNEL_LABELS, DEMAND_TYPE_LABELS, findRegion } from '@hotline/contracts';

/**
 * 分类统计 — the department table's measures regrouped by an attribute of the ticket: its district
 * (区县), business domain (业务领域), demand type (诉求类型) or intake channel (受理渠道). Each
 * occurrence counted for a department (department-measures.ts) is also counted for its ticket's
 * attributes, so a district's on-time or satisfaction rate is computed exactly as a department's.
 */
export const BREAKDOWN_DIMENSIONS = ['region', 'domain', 'demand-type', 'channel'] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];

/** The ticket_view column (also kept on each department_measure_entry) of each dimension. */
export const BREAKDOWN_COLUMNS: Readonly<Record<BreakdownDimension, string>> = {
  region: 'region_code',
  domain: 'domain',
  'demand-type': 'demand_type',
  channel: 'channel',
};

/** The bureau's word for each dimension (a table's first column). */
export const BREAKDOWN_TITLES: Readonly<Record<BreakdownDimension, string>> = {
  region: '区县',
  domain: '业务领域',
  'demand-type': '诉求类型',
  channel: '受理渠道',
};

/** The Chinese name of a key of the dimension: the district's name, the domain's, … (the key itself if unknown). */
export function breakdownKeyName(dimension: BreakdownDimension, key: string): string {
  const labels: Record<string, string> | null =
    dimension === 'domain' ? BUSINESS_DOMAIN_LABELS : dimension === 'demand-type' ? DEMAND_TYPE_LABELS : dimension === 'channel' ? CHANNEL_LABELS : null;
  return labels ? (labels[key] ?? key) : (findRegion(key)?.name ?? key);
}
