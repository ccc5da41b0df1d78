import Redis from 'ioredis';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/**
 * Redis is a cache, lock and counter store here, never a source of truth: commands fail fast
 * while it is down (no offline queue) and callers fall back to PostgreSQL.
 */
export function createRedisClient(url: string, connectionName: string, keyPrefix: string): Redis {
  return new Redis(url, {
    connectionName,
    keyPrefix,
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 5_000),
  });
}
