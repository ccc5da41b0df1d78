import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from '@hotline/testing';
import { call, newTicket, tokenOf, uniquePhone } from './support/gateway-client';

interface LogLine {
  level: string;
  time: string;
  service: string;
  msg: string;
  ticketId?: string;
  ticketNumber?: string;
  eventId?: string;
  correlationId?: string;
  requestId?: string;
}

/** Every JSON log line the stack's services wrote (the e2e stack logs as JSON lines). */
function logLines(): { file: string; line: LogLine }[] {
  const dir = process.env.E2E_LOG_DIR as string;
  const lines: { file: string; line: LogLine }[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.log'))) {
    for (const text of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      if (text.startsWith('{')) lines.push({ file, line: JSON.parse(text) as LogLine });
    }
  }
  return lines;
}

describe('structured logs (pino)', () => {
  it('finds one ticket’s trip through every service by its number, and never the caller’s details', async () => {
    const phone = uniquePhone();
    const callerName = '日志测试来电人甲';
    const created = await call<{ id: string; number: string }>(
      'POST',
      '/api/tickets',
      newTicket({ regionCode: '500109', caller: { name: callerName, phone } }),
      { token: await tokenOf('operator') },
    );
    expect(created.status).toBe(201);

    // The number leads to the ticket id (intake's line), the id to every service's lines.
    const trip = await waitFor('the ticket in every service’s log', async () => {
      const all = logLines();
      const byNumber = all.filter((l) => l.line.ticketNumber === created.body.number);
      const id = byNumber.find((l) => l.line.ticketId)?.line.ticketId;
      if (!id) return undefined;
      const lines = all.filter((l) => l.line.ticketId === id);
      const services = new Set(lines.map((l) => l.line.service));
      return ['intake', 'assignment', 'supervision', 'metrics'].every((s) => services.has(s)) ? lines : undefined;
    });
    expect(trip[0].line.ticketId).toBe(created.body.id);
    for (const { line } of trip) {
      expect(line).toMatchObject({ level: expect.any(String), time: expect.any(String), service: expect.any(String), msg: expect.any(String) });
      expect(line.correlationId ?? line.requestId).toBeTruthy();
    }
    const intakeLine = trip.find((l) => l.line.service === 'intake' && l.line.msg.startsWith('received ticket'));
    expect(intakeLine?.line.requestId).toBeTruthy();

    const everything = fs.readdirSync(process.env.E2E_LOG_DIR as string).map((f) => fs.readFileSync(path.join(process.env.E2E_LOG_DIR as string, f), 'utf8')).join('\n');
    expect(everything).not.toContain(phone);
    expect(everything).not.toContain(callerName);
  });

  it('echoes a request id, the caller’s own when it sends a sane one', async () => {
    const mine = await fetch(`${process.env.E2E_GATEWAY_URL}/health/live`, { headers: { 'x-request-id': 'trace-me-123' } });
    expect(mine.headers.get('x-request-id')).toBe('trace-me-123');
    const odd = await fetch(`${process.env.E2E_GATEWAY_URL}/health/live`, { headers: { 'x-request-id': 'no spaces <allowed>' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
