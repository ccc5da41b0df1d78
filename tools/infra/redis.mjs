// Redis: like PostgreSQL, the machine's own server. Started (never stopped) by us
// if it is installed and down.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import Redis from 'ioredis';
import { defaultLog, errorText, findExecutable, isLocalHost, sleep } from './util.mjs';

const DEFAULT_URL = 'redis://127.0.0.1:6379';
const DATA_DIR = '/var/lib/redis';
const LOG_DIR = '/var/log/redis';

export const redisUrl = () => process.env.REDIS_URL || DEFAULT_URL;

function where(url) {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 6379}`;
}

/** PING once, failing fast: no reconnects, no offline queue, short connect timeout. */
async function probeRedis(url) {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1500,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  client.on('error', () => {}); // errors surface through the awaited calls below
  try {
    await client.connect();
    const pong = await client.ping();
    const info = await client.info('server');
    return { up: pong === 'PONG', version: /redis_version:(\S+)/.exec(info)?.[1] ?? '?' };
  } catch (error) {
    return { up: false, error };
  } finally {
    client.disconnect();
  }
}

/**
 * Make sure Redis answers PING on REDIS_URL (default redis://127.0.0.1:6379),
 * starting a local redis-server if it is installed and down.
 * `start: false` only waits (docker compose). Resolves to { url, version }.
 */
export async function ensureRedis({ log = defaultLog, start = true, timeoutMs = 15_000 } = {}) {
  const url = redisUrl();
  const at = where(url);
  let probe = await probeRedis(url);
  // A ReplyError (NOAUTH, WRONGPASS...) means a server is there: waiting or starting won't help.
  if (!probe.up && probe.error?.name === 'ReplyError') {
    throw new Error(`Redis at ${at} refused us: ${errorText(probe.error)}. Check REDIS_URL.`);
  }
  if (!probe.up && start) {
    const { hostname, port } = new URL(url);
    if (!isLocalHost(hostname)) {
      throw new Error(`Redis at ${at} is not reachable (${errorText(probe.error)}); it is not on this machine, so not starting anything.`);
    }
    const server = findExecutable('redis-server');
    if (!server) {
      throw new Error(`Redis is not running at ${at} and redis-server is not installed. Install it: apt-get install redis-server  - or point REDIS_URL at a running server.`);
    }
    for (const dir of [DATA_DIR, LOG_DIR]) fs.mkdirSync(dir, { recursive: true });
    log(`Redis not reachable at ${at}; starting redis-server`);
    // Dev/test cache only: no persistence (--save "" and no AOF), daemonized so it outlives us.
    // "-::1": bind IPv6 loopback only if the machine has it.
    const res = spawnSync(
      server,
      ['--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', port || '6379', '--save', '', '--appendonly', 'no', '--dir', DATA_DIR, '--logfile', `${LOG_DIR}/ci.log`],
      { encoding: 'utf8' },
    );
    if (res.status !== 0) {
      throw new Error(`redis-server failed to start (exit ${res.status ?? res.error?.message}):\n${`${res.stdout ?? ''}${res.stderr ?? ''}`.trim()}\nSee ${LOG_DIR}/ci.log`);
    }
  }
  const deadline = Date.now() + timeoutMs;
  while (!probe.up && Date.now() < deadline) {
    await sleep(300);
    probe = await probeRedis(url);
  }
  if (!probe.up) throw new Error(`Redis at ${at} did not answer PING: ${errorText(probe.error)}`);
  log(`Redis ${probe.version} is up at ${at}`);
  return { url, version: probe.version };
}

/** One-shot status: { name, up, address, detail }. */
export async function redisStatus() {
  const url = redisUrl();
  const probe = await probeRedis(url);
  return { name: 'redis', up: probe.up, address: where(url), detail: probe.up ? `Redis ${probe.version}` : errorText(probe.error) };
}
