import { BREAKDOWN_TITLES, BreakdownDimension } from '../breakdown/breakdown-dimensions';
import type { BreakdownRow } from '../breakdown/breakdown';
import { measureColumns } from './department-table';
import { ExportTable } from './tabular-export';

/** The month's measures by district (domain, demand type, channel), with the bureau's column names. */
export function breakdownTable(month: string, dimension: BreakdownDimension, rows: BreakdownRow[]): ExportTable<BreakdownRow> {
  return {
    sheetName: `${month} 按${BREAKDOWN_TITLES[dimension]}`,
    rows,
    columns: [{ header: BREAKDOWN_TITLES[dimension], width: 20, value: (r) => r.name }, ...measureColumns<BreakdownRow>()],
  };
}
