import { departmentTableCsv } from './department-table.csv';

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
