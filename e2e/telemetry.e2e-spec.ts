import { waitFor } from '@hotline/testing';
import { call, newTicket, tokenOf } from './support/gateway-client';

const ports = (): Record<string, number> => JSON.parse(process.env.E2E_SERVICE_PORTS as string);

async function scrape(service: string): Promise<string> {
  const answer = await fetch(`http://127.0.0.1:${ports()[service]}/metrics`);
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
  return answer.text();
}

/** Whether a series with all these labels is exposed. */
function has(text: string, name: string, labels: Record<string, string>): boolean {
  return text
    .split('\n')
    .some((line) => line.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)));
}

/** The value of one series (the sum over all series matching every given label). */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) total += Number(line.split(' ').at(-1));
  }
  return total;
}

describe('Prometheus metrics on every service (/metrics)', () => {
  it('every service answers a scrape with process metrics labelled by service', async () => {
    for (const service of ['gateway', 'intake', 'assignment', 'supervision', 'metrics']) {
      const text = await scrape(service);
      expect(text).toContain(`process_resident_memory_bytes{service="${service}"}`);
      expect(text).toMatch(/# TYPE http_request_duration_seconds histogram/);
    }
  });

  it('counts HTTP by route pattern, events published and consumed by type, lag, outbox and the SLA states', async () => {
    const created = await call<{ id: string }>('POST', '/api/tickets', newTicket({ regionCode: '500108' }), { token: await tokenOf('operator') });
    expect(created.status).toBe(201);
    const intake = await waitFor('intake to publish', async () => {
      const text = await scrape('intake');
      return value(text, 'hotline_events_published_total', { type: 'ticket.received' }) > 0 ? text : undefined;
    });
    expect(value(intake, 'http_requests_total', { route: '/api/tickets', method: 'POST', status: '201' })).toBeGreaterThan(0);
    expect(intake).toMatch(/hotline_outbox_backlog\{service="intake"\} \d+/);

    const gateway = await scrape('gateway');
    expect(value(gateway, 'http_requests_total', { route: 'forward:intake', method: 'POST', status: '201' })).toBeGreaterThan(0);
    expect(gateway).not.toContain(created.body.id); // route patterns, never ids

    const assignment = await waitFor('assignment to consume it', async () => {
      const text = await scrape('assignment');
      return value(text, 'hotline_events_consumed_total', { type: 'ticket.received', outcome: 'applied' }) > 0 ? text : undefined;
    });
    expect(has(assignment, 'hotline_consumer_lag', { service: 'assignment', consumer: 'assignment', topic: 'hotline.intake.events.v1' })).toBe(true);

    const supervision = await waitFor('a running clock', async () => {
      const text = await scrape('supervision');
      return value(text, 'hotline_open_tickets') > 0 ? text : undefined;
    });
    expect(has(supervision, 'hotline_sla_scanner_lag_seconds', { service: 'supervision' })).toBe(true);
  });
});
