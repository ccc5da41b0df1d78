import ExcelJS from 'exceljs';

export type CellValue = string | number | null;

/** One column of an exported table: its Chinese header and the value of each row. */
export interface ExportColumn<R> {
  header: string;
  width?: number;
  value: (row: R) => CellValue;
  percent?: boolean;
}

/** A table to export: Chinese headers (the bureau's own words) and one value per column. */
export interface ExportTable<R> {
  sheetName: string;
  columns: ExportColumn<R>[];
  rows: R[];
}

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** A text that starts like a formula is shown as text, never run (CSV/formula injection). */
function neutralised(value: CellValue): CellValue {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180 quoting. */
function csvCell(value: CellValue, percent?: boolean): string {
  if (value === null || value === undefined) return '';
  const text = percent && typeof value === 'number' ? `${(value * 100).toFixed(2)}%` : String(neutralised(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * CSV: UTF-8 with a byte-order mark (so spreadsheet programs read the Chinese right) and CRLF
 * line ends. Rates are written as percentages.
 */
export function toCsv<R>(table: ExportTable<R>): Buffer {
  const lines = [
    table.columns.map((c) => csvCell(c.header)).join(','),
    ...table.rows.map((r) => table.columns.map((c) => csvCell(c.value(r), c.percent)).join(',')),
  ];
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}

/**
 * A real workbook: one sheet, a bold frozen header row, numbers as numbers and rates as
 * numbers formatted as percentages (so they can be summed and sorted), never a formula.
 */
export async function toXlsx<R>(table: ExportTable<R>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'hotline 12333';
  workbook.created = new Date();
  const sheet = workbook.addWorksheet(table.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.columns.map((c, i) => ({ header: c.header, key: `c${i}`, width: c.width ?? Math.max(10, c.header.length * 2 + 2) }));
  sheet.getRow(1).font = { bold: true };
  for (const row of table.rows) {
    sheet.addRow(table.columns.map((c) => neutralised(c.value(row)) ?? null));
  }
  table.columns.forEach((c, i) => {
    if (c.percent) sheet.getColumn(i + 1).numFmt = '0.00%';
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function exportTable<R>(table: ExportTable<R>, format: ExportFormat): Promise<Buffer> {
  return format === 'xlsx' ? toXlsx(table) : Promise.resolve(toCsv(table));
}
