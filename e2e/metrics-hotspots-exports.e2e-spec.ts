import ExcelJS from 'exceljs';
import { readTopics, waitFor } from '@hotline/testing';
import { call, newTicket, tokenOf } from './support/gateway-client';

const namespace = () => process.env.E2E_KAFKA_NAMESPACE as string;
const month = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

interface Hotspot {
  id: string;
  kind: string;
  regionCode: string | null;
  categoryCode: string | null;
  employerName: string | null;
  count: number;
  countAtDetection: number;
}

async function download(path: string, user = 'leader'): Promise<Response> {
  return fetch(`${process.env.E2E_GATEWAY_URL}${path}`, { headers: { authorization: `Bearer ${await tokenOf(user)}` } });
}

async function hotspots(): Promise<Hotspot[]> {
  const answer = await call<{ items: Hotspot[] }>('GET', `/api/metrics/hotspots?from=${today()}`, undefined, { token: await tokenOf('leader') });
  return answer.status === 200 ? answer.body.items : [];
}

describe('hotspots (热点预警)', () => {
  it('raises one alert when a category spikes in one region, on the alerts topic and the dashboard, with the tickets behind it', async () => {
    // 彭水县 (500243), 工程建设领域农民工工资拖欠: quiet until five calls in a day.
    const spike = { regionCode: '500243', domain: 'wage-arrears', categoryCode: 'QX.01.01', title: '工地拖欠农民工工资' };
    const operator = { token: await tokenOf('operator') };
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) ids.push((await call<{ id: string }>('POST', '/api/tickets', newTicket(spike), operator)).body.id);
    // Four is below the floor: nothing yet (the fifth would cross it).
    // Each ticket's view and its demand signal commit together: once all four are seen, all are counted.
    for (const id of ids) {
      await waitFor(`ticket ${id} projected`, async () => (await call('GET', `/api/tickets/${id}`, undefined, { token: await tokenOf('leader') })).status === 200);
    }
    expect((await hotspots()).filter((h) => h.regionCode === '500243' && h.kind === 'region-category')).toEqual([]);

    ids.push((await call<{ id: string }>('POST', '/api/tickets', newTicket(spike), operator)).body.id);
    const found = await waitFor('the hotspot', async () =>
      (await hotspots()).find((h) => h.kind === 'region-category' && h.regionCode === '500243' && h.categoryCode === 'QX.01.01'),
    );
    expect(found).toMatchObject({ countAtDetection: 5, count: 5 });

    const behind = await call<{ total: number; items: { id: string }[] }>('GET', `/api/metrics/hotspots/${found.id}/tickets`, undefined, {
      token: await tokenOf('leader'),
    });
    expect(behind.status).toBe(200);
    expect(behind.body.items.map((t) => t.id).sort()).toEqual([...ids].sort());

    // A sixth call raises no second alert; the dashboard shows the live count.
    ids.push((await call<{ id: string }>('POST', '/api/tickets', newTicket(spike), operator)).body.id);
    await waitFor('the live count', async () => (await hotspots()).find((h) => h.id === found.id)?.count === 6);

    const alerts = await waitFor('the alert on Kafka', async () => {
      const records = await readTopics([`${namespace()}hotline.metrics.alerts.v1`]);
      const mine = records.map((r) => JSON.parse(r.value as string)).filter((e) => e.payload.hotspotId === found.id);
      return mine.length ? mine : undefined;
    });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ type: 'metrics.hotspot-detected', producer: 'metrics', payload: { kind: 'region-category', count: 5 } });
    expect(ids).toContain(alerts[0].ticketId);
  });

  it('finds one employer reported for wage arrears across districts', async () => {
    const operator = { token: await tokenOf('operator') };
    const regions = ['500101', '500102', '500110', '500111', '500112'];
    for (const regionCode of regions) {
      const employerName = regionCode === '500101' ? '重庆鼎盛建筑劳务有限公司' : '鼎盛建筑劳务公司';
      const answer = await call('POST', '/api/tickets', newTicket({ regionCode, employerName, title: '劳务公司拖欠工资' }), operator);
      expect(answer.status).toBe(201);
    }
    const found = await waitFor('the employer hotspot', async () => (await hotspots()).find((h) => h.kind === 'employer' && h.employerName?.includes('鼎盛')));
    expect(found.countAtDetection).toBe(5);
  });

  it('refuses a bad date and an unknown hotspot with clear errors', async () => {
    const token = await tokenOf('leader');
    const bad = await call<{ errors: { field: string }[] }>('GET', '/api/metrics/hotspots?from=2026-13-45x', undefined, { token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('from');
    const unknown = await call('GET', '/api/metrics/hotspots/0192f0c4-6c1e-7a10-8f00-000000000000/tickets', undefined, { token });
    expect(unknown.status).toBe(404);
    const operator = await call('GET', '/api/metrics/hotspots', undefined, { token: await tokenOf('operator') });
    expect(operator.status).toBe(403);
  });
});

describe('exports (导出)', () => {
  it('exports the department table as a real xlsx workbook with Chinese headers', async () => {
    const response = await download(`/api/metrics/export?month=${month()}&format=xlsx`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(response.headers.get('content-disposition')).toContain(`departments-${month()}.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await response.arrayBuffer()) as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0];
    expect((sheet.getRow(1).values as unknown[]).slice(1, 6)).toEqual(['排名', '承办单位', '综合得分', '五色等级', '受理量']);
    expect(sheet.rowCount).toBeGreaterThan(1);
  });

  it('exports the month by district (分类统计) as a workbook: the rows the API answers, refusing an unknown dimension', async () => {
    const token = await tokenOf('leader');
    type Rows = { items: { key: string; name: string; received: number; closed: number }[] };
    // The hotspot's tickets above, once dispatched, are in it.
    const answer = await waitFor('a district in the table', async () => {
      const a = await call<Rows>('GET', `/api/metrics/breakdown?month=${month()}&dimension=region`, undefined, { token });
      return a.status === 200 && a.body.items.length > 0 ? a : undefined;
    }, { timeoutMs: 30_000, intervalMs: 300 });
    const response = await download(`/api/metrics/breakdown/export?month=${month()}&dimension=region&format=xlsx`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain(`region-${month()}.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await response.arrayBuffer()) as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe(`${month()} 按区县`);
    expect((sheet.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['区县', '受理量', '派单量']);
    const rows = [];
    for (let r = 2; r <= sheet.rowCount; r += 1) rows.push([sheet.getRow(r).getCell(1).value, sheet.getRow(r).getCell(2).value]);
    expect(rows).toEqual(answer.body.items.map((i) => [i.name, i.received]));
    const bad = await call<{ errors: { field: string }[] }>('GET', `/api/metrics/breakdown?month=${month()}&dimension=street`, undefined, { token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('dimension');
  });

  it('exports the ticket list under the same filters, as xlsx and as csv', async () => {
    const xlsx = await download('/api/tickets/export?format=xlsx&regionCode=500243');
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await xlsx.arrayBuffer()) as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe('工单清单');
    expect(sheet.getRow(1).getCell(1).value).toBe('工单编号');
    const listed = await call<{ total: number }>('GET', '/api/tickets?regionCode=500243', undefined, { token: await tokenOf('leader') });
    expect(sheet.rowCount - 1).toBe(listed.body.total);
    for (let r = 2; r <= sheet.rowCount; r += 1) expect(sheet.getRow(r).getCell(7).value).toBe('彭水苗族土家族自治县');

    const csv = await download('/api/tickets/export?format=csv&regionCode=500243');
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8').split('\r\n')[0]).toMatch(/^工单编号,标题,状态/);
  });

  it('exports the tickets of a list by id (the tickets behind a figure), leaving out what the user may not see', async () => {
    const listed = await call<{ items: { id: string; number: string }[] }>('GET', '/api/tickets?regionCode=500243&pageSize=3', undefined, {
      token: await tokenOf('leader'),
    });
    const ids = listed.body.items.map((t) => t.id);
    expect(ids.length).toBeGreaterThan(0);
    const post = async (body: unknown, user = 'leader') =>
      fetch(`${process.env.E2E_GATEWAY_URL}/api/tickets/export`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await tokenOf(user)}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    // An id that names nothing is left out like one out of scope.
    const xlsx = await post({ ids: [...ids, '0192f0c4-6c1e-7a10-8f00-000000000000'], format: 'xlsx' });
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await xlsx.arrayBuffer()) as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0];
    const numbers = [];
    for (let r = 2; r <= sheet.rowCount; r += 1) numbers.push(sheet.getRow(r).getCell(1).value);
    expect(numbers.sort()).toEqual(listed.body.items.map((t) => t.number).sort());
    // 渝中's handler sees none of 彭水's tickets: the header alone.
    const handler = await post({ ids, format: 'csv' }, 'handler.500103');
    expect(Buffer.from(await handler.arrayBuffer()).subarray(3).toString('utf8').trim().split('\r\n')).toHaveLength(1);
    const bad = await post({ ids: ['not-an-id'], format: 'xlsx' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors[0].field).toMatch(/^ids/);
  });

  it('exports only what the user may see, and refuses an unknown format', async () => {
    const handler = await download('/api/tickets/export?format=csv&regionCode=500243', 'handler.500103');
    expect(handler.status).toBe(200);
    const lines = Buffer.from(await handler.arrayBuffer()).subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines).toHaveLength(1); // the header: 彭水's tickets are not 渝中's handler's
    const pdf = await call<{ errors: { field: string }[] }>('GET', '/api/tickets/export?format=pdf', undefined, { token: await tokenOf('leader') });
    expect(pdf.status).toBe(400);
    expect(pdf.body.errors[0].field).toBe('format');
  });
});
