import http from 'node:http';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { backoffDelay } from '../resilience/backoff';

/**
 * Before the service builds itself on its database: if PostgreSQL does not answer, wait and
 * retry with a log line per attempt instead of crashing (and being restarted in a loop). The
 * port meanwhile answers /health/live with 200 and everything else, /health/ready included,
 * with 503 — alive, not ready — so an orchestrator neither kills nor routes to it.
 */
export async function waitForDatabase(databaseUrl: string, listen: { port: number; host: string }, logger: Logger): Promise<void> {
  if (await answers(databaseUrl)) return;
  const placeholder = http.createServer((req, res) => {
    const live = req.url === '/health/live';
    res.writeHead(live ? 200 : 503, { 'content-type': 'application/json', 'retry-after': '5' });
    res.end(JSON.stringify(live ? { status: 'ok' } : { status: 'starting', waitingFor: 'postgres' }));
  });
  await new Promise<void>((resolve) => placeholder.once('error', () => resolve()).listen(listen.port, listen.host, resolve));
  try {
    for (let attempt = 1; ; attempt += 1) {
      const error = await answers(databaseUrl, true);
      if (error === true) return;
      logger.warn(`waiting for PostgreSQL at ${redactedHost(databaseUrl)} (attempt ${attempt}): ${error}`);
      await new Promise((r) => setTimeout(r, backoffDelay(attempt, 500, 10_000)));
    }
  } finally {
    placeholder.closeAllConnections();
    await new Promise((resolve) => placeholder.close(resolve));
  }
}

async function answers(url: string, explain = false): Promise<true | string> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (err) {
    return explain ? ((err as Error).message || (err as { code?: string }).code || 'no answer') : (false as unknown as string);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** host:port/database, never the password. */
function redactedHost(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'the configured database';
  }
}
