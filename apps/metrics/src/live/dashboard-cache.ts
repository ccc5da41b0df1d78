import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS_CLIENT } from '@hotline/platform';
import { PROJECTION_VERSION_KEY } from './live-updates';

/** An answer is kept at most this long even if nothing changes (figures of "today" roll over). */
const TTL_SECONDS = 30;

/**
 * Dashboard answers cached in Redis under the projection's current version: any commit moves
 * the version on, so a cached answer is never older than the data it was computed from. Redis
 * is a cache only: when it is away, flushed or slow, the answer is computed from PostgreSQL.
 */
@Injectable()
export class DashboardCache {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}

  async answer<T>(name: string, params: unknown, compute: () => Promise<T>): Promise<T> {
    let key: string;
    try {
      const version = (await this.redis.get(PROJECTION_VERSION_KEY)) ?? '0';
      key = `metrics:cache:${version}:${name}:${JSON.stringify(params ?? null)}`;
      const hit = await this.redis.get(key);
      if (hit !== null) return JSON.parse(hit) as T;
    } catch {
      return compute();
    }
    // The version is read before the data: an answer computed while a commit lands is filed
    // under the old version, which no reader asks for once the commit has moved it on.
    const value = await compute();
    this.redis.set(key, JSON.stringify(value), 'EX', TTL_SECONDS).catch(() => undefined);
    return value;
  }
}
