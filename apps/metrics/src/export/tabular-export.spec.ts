import ExcelJS from 'exceljs';
import { departmentTable } from './department-table';
import { toCsv, toXlsx } from './tabular-export';

const departmentTableCsv = (rows: (typeof row)[]) => toCsv(departmentTable('2026-11', rows));

const row = {
  departmentId: 'd1',
  departmentName: '城口县人力社保局',
  received: 3,
  assigned: 3,
  accepted: 2,
  signedOnTime: 2,
  closed: 1,
  closedOnTime: 1,
  returned: 1,
  reopened: 1,
  repeats: 1,
  callbacksAnswered: 2,
  satisfiedCallbacks: 1,
  rates: { timelySignFor: 2 / 3, onTimeCompletion: 1, completion: 1 / 3, satisfaction: 0.5, returnRate: 1 / 3, reopenRate: 1, repeatRate: 1 / 3 },
  score: 55,
  colour: 'red' as const,
  rank: 1,
};

describe('department table as CSV', () => {
  it('starts with a UTF-8 byte-order mark and has Chinese headers', () => {
    const csv = departmentTableCsv([row]);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, line] = csv.subarray(3).toString('utf8').split('\r\n');
    expect(header.split(',').slice(0, 4)).toEqual(['排名', '承办单位', '综合得分', '五色等级']);
    expect(line.split(',').slice(0, 5)).toEqual(['1', '城口县人力社保局', '55', '红', '3']);
    expect(line).toContain('66.67%');
  });

  it('quotes commas and quotes, and never lets a cell become a formula', () => {
    const csv = departmentTableCsv([{ ...row, departmentName: '=HYPERLINK("x"),局' }]).toString('utf8');
    expect(csv).toContain(`"'=HYPERLINK(""x""),局"`);
  });
});

describe('department table as xlsx', () => {
  it('is a workbook that reads back: Chinese headers, numbers as numbers, rates as percentages', async () => {
    const file = await toXlsx(departmentTable('2026-11', [row, { ...row, departmentName: '=1+1', rank: 2, score: null }]));
    expect(file.subarray(0, 2).toString('latin1')).toBe('PK'); // an OOXML package is a zip
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe('2026-11 承办单位');
    const header = sheet.getRow(1).values as unknown[];
    expect(header.slice(1, 5)).toEqual(['排名', '承办单位', '综合得分', '五色等级']);
    const first = sheet.getRow(2);
    expect(first.getCell(1).value).toBe(1);
    expect(first.getCell(2).value).toBe('城口县人力社保局');
    expect(first.getCell(3).value).toBe(55);
    expect(first.getCell(4).value).toBe('红');
    const timely = first.getCell(16);
    expect(timely.value).toBeCloseTo(2 / 3, 10);
    expect(timely.numFmt).toBe('0.00%');
    // A name that looks like a formula stays text, and no cell carries a formula.
    expect(sheet.getRow(3).getCell(2).value).toBe("'=1+1");
    sheet.eachRow((r) => r.eachCell((c) => expect(c.formula).toBeUndefined()));
    expect(sheet.rowCount).toBe(3);
  });
});
