import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { waitFor } from '@hotline/testing';
import { call, newTicket, tokenOf } from './support/gateway-client';

interface CollectedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
}

/** Every span the stack exported to the stand-in collector (OTLP/HTTP JSON). */
function collectedSpans(): CollectedSpan[] {
  const file = process.env.E2E_TRACES_FILE as string;
  if (!fs.existsSync(file)) return [];
  const spans: CollectedSpan[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const body = JSON.parse(line) as {
      resourceSpans: {
        resource: { attributes: { key: string; value: { stringValue?: string } }[] };
        scopeSpans: { spans: Omit<CollectedSpan, 'service'>[] }[];
      }[];
    };
    for (const rs of body.resourceSpans) {
      const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
      for (const ss of rs.scopeSpans) for (const span of ss.spans) spans.push({ ...span, service });
    }
  }
  return spans;
}

describe('traces (OpenTelemetry) across HTTP, the outbox and Kafka', () => {
  it('follows one ticket from the caller’s request through every service in one trace', async () => {
    const traceId = randomBytes(16).toString('hex');
    const created = await fetch(`${process.env.E2E_GATEWAY_URL}/api/tickets`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await tokenOf('operator')}`,
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      },
      body: JSON.stringify(newTicket({ regionCode: '500112' })),
    });
    expect(created.status).toBe(201);

    const trace = await waitFor(
      'spans of every service in the trace',
      async () => {
        const spans = collectedSpans().filter((s) => s.traceId === traceId);
        const services = new Set(spans.map((s) => s.service));
        return ['gateway', 'intake', 'assignment', 'supervision', 'metrics'].every((s) => services.has(s)) ? spans : undefined;
      },
      { timeoutMs: 30_000 },
    );
    const byId = new Map(trace.map((s) => [s.spanId, s]));
    const gatewayServer = trace.find((s) => s.service === 'gateway' && s.kind === 2);
    const intakeServer = trace.find((s) => s.service === 'intake' && s.kind === 2);
    expect(gatewayServer).toBeDefined();
    // The service's request span is the gateway's child; the consumers' spans descend from it
    // through the outbox and Kafka headers.
    expect(intakeServer?.parentSpanId).toBe(gatewayServer?.spanId);
    const assignmentConsumer = trace.find((s) => s.service === 'assignment' && s.kind === 5 && s.name.includes('ticket.received'));
    expect(assignmentConsumer?.parentSpanId).toBe(intakeServer?.spanId);
    const supervisionConsumer = trace.find((s) => s.service === 'supervision' && s.kind === 5 && s.name.includes('ticket.assigned'));
    expect(byId.get(supervisionConsumer?.parentSpanId ?? '')?.service).toBe('assignment');
  });

  it('keeps tickets of different requests in different traces', async () => {
    const ticket = await call<{ id: string }>('POST', '/api/tickets', newTicket({ regionCode: '500112' }), { token: await tokenOf('operator') });
    expect(ticket.status).toBe(201);
    const traces = await waitFor('its trace', async () => {
      const ids = new Set(collectedSpans().filter((s) => s.service === 'intake' && s.kind === 2 && s.name === 'POST /api/tickets').map((s) => s.traceId));
      return ids.size >= 2 ? ids : undefined;
    });
    expect(traces.size).toBeGreaterThanOrEqual(2);
  });
});
