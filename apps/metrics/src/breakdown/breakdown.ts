import { DepartmentRates, Measure, MeasureCounts, noMeasures, Queryable, ratesOf } from '../department-measures/department-measures';
import { BREAKDOWN_COLUMNS, BreakdownDimension, breakdownKeyName } from './breakdown-dimensions';

/** One district's (domain's, demand type's, channel's) month: the department table's measures and rates. */
export interface BreakdownRow extends MeasureCounts {
  key: string;
  /** The key's Chinese name: the district's, the domain's, … */
  name: string;
  rates: DepartmentRates;
}

/** The month's rows of one dimension, kept by the department table's recount (breakdown_month). */
export async function breakdownOf(db: Queryable, month: string, dimension: BreakdownDimension): Promise<BreakdownRow[]> {
  const rows = (await db.query(
    `SELECT key, measure, n FROM metrics.breakdown_month WHERE month = $1 AND dimension = $2 AND n <> 0 ORDER BY key`,
    [month, dimension],
  )) as { key: string; measure: Measure; n: number }[];
  const byKey = new Map<string, MeasureCounts>();
  for (const row of rows) {
    const m = byKey.get(row.key) ?? noMeasures();
    m[row.measure] = Number(row.n);
    byKey.set(row.key, m);
  }
  return [...byKey].map(([key, m]) => ({
    key,
    name: breakdownKeyName(dimension, key),
    ...m,
    rates: ratesOf(m),
  }));
}

/** The tickets behind one figure of a breakdown (drill-down). */
export async function ticketsBehindBreakdown(db: Queryable, month: string, dimension: BreakdownDimension, key: string, measure: Measure): Promise<string[]> {
  const rows = (await db.query(
    `SELECT DISTINCT ticket_id::text AS id FROM metrics.department_measure_entry
      WHERE month = $1 AND measure = $2 AND ${BREAKDOWN_COLUMNS[dimension]} = $3`,
    [month, measure, key],
  )) as { id: string }[];
  return rows.map((r) => r.id);
}
