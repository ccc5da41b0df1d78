import express from 'express';
import { AddressInfo } from 'node:net';
import { createServer, Server } from 'node:http';
import { forwardRequests } from './forward-request';
import { UpstreamName } from './route-table';

/** A gateway in front of one local "intake" (real sockets), forwarding with a short timeout. */
async function gatewayBefore(upstream: string, timeoutMs: number): Promise<{ url: string; close: () => Promise<void> }> {
  const upstreams = { intake: upstream, assignment: upstream, supervision: upstream, metrics: upstream } as Record<UpstreamName, string>;
  const app = express().use(forwardRequests(upstreams, 1_000_000, async () => 'Bearer checked', timeoutMs));
  const server = await listen(createServer(app));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => close(server) };
}

function listen(server: Server): Promise<Server> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('forwarding to a service', () => {
  it('answers 504 with the service named when it does not answer in time, 503 when it cannot be reached', async () => {
    const silent = await listen(createServer(() => undefined)); // takes the request, never answers
    const slow = await gatewayBefore(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`, 200);
    const gone = await gatewayBefore('http://127.0.0.1:9', 200); // nothing listens on the discard port
    try {
      const late = await fetch(`${slow.url}/api/categories`);
      expect(late.status).toBe(504);
      expect(await late.json()).toEqual({ statusCode: 504, error: 'Gateway Timeout', message: ['intake: no answer within 0.2 s, try again later'] });
      const down = await fetch(`${gone.url}/api/categories`);
      expect(down.status).toBe(503);
      expect(((await down.json()) as { message: string[] }).message).toEqual(['intake: not reachable, try again shortly']);
    } finally {
      await Promise.all([slow.close(), gone.close(), close(silent)]);
    }
  });

  it('passes the answer of a service that answers in time through unchanged', async () => {
    const service = await listen(
      createServer((req, res) => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ forwardedAuthorization: req.headers.authorization }));
      }),
    );
    const gateway = await gatewayBefore(`http://127.0.0.1:${(service.address() as AddressInfo).port}`, 2_000);
    try {
      const answer = await fetch(`${gateway.url}/api/categories`, { headers: { authorization: 'Bearer caller-token' } });
      expect(answer.status).toBe(201);
      expect(await answer.json()).toEqual({ forwardedAuthorization: 'Bearer checked' });
    } finally {
      await Promise.all([gateway.close(), close(service)]);
    }
  });
});
