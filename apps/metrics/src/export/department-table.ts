import type { DepartmentRow } from '../grading/grading.service';
import type { DepartmentRates, MeasureCounts } from '../department-measures/department-measures';
import { ExportColumn, ExportTable } from './tabular-export';

const COLOUR_NAMES: Record<string, string> = {
  'dark-green': '深绿',
  'light-green': '浅绿',
  yellow: '黄',
  orange: '橙',
  red: '红',
};

/** The month's department table (承办单位考核表) with the bureau's column names. */
export function departmentTable(month: string, rows: DepartmentRow[]): ExportTable<DepartmentRow> {
  return {
    sheetName: `${month} 承办单位`,
    rows,
    columns: [
      { header: '排名', value: (r) => r.rank },
      { header: '承办单位', width: 28, value: (r) => r.departmentName ?? r.departmentId },
      { header: '综合得分', value: (r) => r.score },
      { header: '五色等级', value: (r) => (r.colour ? COLOUR_NAMES[r.colour] : '') },
      ...measureColumns<DepartmentRow>(),
    ],
  };
}

/** The department table's measures and rates, as the bureau names them: the columns every such table shares. */
export function measureColumns<R extends MeasureCounts & { rates: DepartmentRates }>(): ExportColumn<R>[] {
  return [
      { header: '受理量', value: (r) => r.received },
      { header: '派单量', value: (r) => r.assigned },
      { header: '签收量', value: (r) => r.accepted },
      { header: '及时签收量', value: (r) => r.signedOnTime },
      { header: '办结量', value: (r) => r.closed },
      { header: '按时办结量', value: (r) => r.closedOnTime },
      { header: '退单量', value: (r) => r.returned },
      { header: '重办量', value: (r) => r.reopened },
      { header: '重复诉求量', value: (r) => r.repeats },
      { header: '回访量', value: (r) => r.callbacksAnswered },
      { header: '满意量', value: (r) => r.satisfiedCallbacks },
      { header: '及时签收率', percent: true, value: (r) => r.rates.timelySignFor },
      { header: '按时办结率', percent: true, value: (r) => r.rates.onTimeCompletion },
      { header: '办结率', percent: true, value: (r) => r.rates.completion },
      { header: '满意率', percent: true, value: (r) => r.rates.satisfaction },
      { header: '回退率', percent: true, value: (r) => r.rates.returnRate },
      { header: '重办率', percent: true, value: (r) => r.rates.reopenRate },
      { header: '重复诉求率', percent: true, value: (r) => r.rates.repeatRate },
  ];
}
