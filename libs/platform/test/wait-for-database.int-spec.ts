import net from 'node:net';
import { Logger } from '@nestjs/common';
import { waitForDatabase } from '../src/bootstrap/wait-for-database';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A TCP relay to the real PostgreSQL: "the database comes up" when it starts listening. */
function relayTo(port: number, target = 5432): net.Server {
  return net.createServer((socket) => {
    const upstream = net.connect(target, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  }).listen(port, '127.0.0.1');
}

describe('a service starting while PostgreSQL is down (real PostgreSQL behind a relay)', () => {
  it('waits with a log line per attempt, alive but not ready meanwhile, and goes on once the database answers', async () => {
    const dbPort = await freePort();
    const httpPort = await freePort();
    const warnings: string[] = [];
    const logger = { warn: (m: string) => warnings.push(m) } as unknown as Logger;
    let done = false;
    const waiting = waitForDatabase(`postgres://postgres@127.0.0.1:${dbPort}/postgres`, { port: httpPort, host: '127.0.0.1' }, logger).then(
      () => (done = true),
    );

    await new Promise((r) => setTimeout(r, 1_500));
    expect(done).toBe(false);
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(warnings[0]).toMatch(new RegExp(`waiting for PostgreSQL at 127.0.0.1:${dbPort}/postgres \\(attempt 1\\)`));
    const live = await fetch(`http://127.0.0.1:${httpPort}/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${httpPort}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'starting', waitingFor: 'postgres' });

    const relay = relayTo(dbPort);
    try {
      await waiting;
      expect(done).toBe(true);
      // The placeholder is gone: the real server can take the port.
      await expect(fetch(`http://127.0.0.1:${httpPort}/health/live`)).rejects.toThrow();
    } finally {
      relay.close();
    }
  });

  it('returns at once when the database answers', async () => {
    const warnings: string[] = [];
    const logger = { warn: (m: string) => warnings.push(m) } as unknown as Logger;
    await waitForDatabase('postgres://postgres@127.0.0.1:5432/postgres', { port: await freePort(), host: '127.0.0.1' }, logger);
    expect(warnings).toEqual([]);
  });
});
