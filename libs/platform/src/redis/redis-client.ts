import { Logger } from '@nestjs/common';
import Redis from 'ioredis';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/**
 * Redis is a cache, lock and counter store here, never a source of truth: commands fail fast
 * while it is down (no offline queue) and callers fall back to PostgreSQL.
 */
export function createRedisClient(url: string, connectionName: string, keyPrefix: string): Redis {
  const client = new Redis(url, {
    connectionName,
    keyPrefix,
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 5_000),
  });
  // One line when Redis goes away and one when it is back (ioredis retries meanwhile), instead of
  // its "Unhandled error event" on every attempt; readiness reports it through the health check.
  const logger = new Logger('redis');
  const where = new URL(url).host;
  let unreachable = false;
  client.on('error', (err: Error) => {
    if (unreachable) return;
    unreachable = true;
    logger.warn(`waiting for Redis at ${where}: ${err.message} (retrying)`);
  });
  client.on('ready', () => {
    if (!unreachable) return;
    unreachable = false;
    logger.log(`Redis at ${where} is reachable again`);
  });
  return client;
}
