import type { DepartmentRow } from '../grading/grading.service';

/** The columns of the exported department table, with their Chinese headers (the bureau's own words). */
const COLUMNS: { header: string; value: (r: DepartmentRow) => string | number | null }[] = [
  { header: '排名', value: (r) => r.rank },
  { header: '承办单位', value: (r) => r.departmentName ?? r.departmentId },
  { header: '综合得分', value: (r) => r.score },
  { header: '五色等级', value: (r) => (r.colour ? COLOUR_NAMES[r.colour] : '') },
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
  { header: '及时签收率', value: (r) => percent(r.rates.timelySignFor) },
  { header: '按时办结率', value: (r) => percent(r.rates.onTimeCompletion) },
  { header: '办结率', value: (r) => percent(r.rates.completion) },
  { header: '满意率', value: (r) => percent(r.rates.satisfaction) },
  { header: '回退率', value: (r) => percent(r.rates.returnRate) },
  { header: '重办率', value: (r) => percent(r.rates.reopenRate) },
  { header: '重复诉求率', value: (r) => percent(r.rates.repeatRate) },
];

const COLOUR_NAMES: Record<string, string> = {
  'dark-green': '深绿',
  'light-green': '浅绿',
  yellow: '黄',
  orange: '橙',
  red: '红',
};

function percent(rate: number | null): string {
  return rate === null ? '' : `${(rate * 100).toFixed(2)}%`;
}

/** RFC 4180 quoting; a leading =, +, - or @ is neutralised so a spreadsheet never runs it as a formula. */
function cell(value: string | number | null): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The month's department table as CSV: UTF-8 with a byte-order mark (so spreadsheet programs
 * read the Chinese right) and CRLF line ends.
 */
export function departmentTableCsv(rows: DepartmentRow[]): Buffer {
  const lines = [COLUMNS.map((c) => cell(c.header)).join(','), ...rows.map((r) => COLUMNS.map((c) => cell(c.value(r))).join(','))];
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}
