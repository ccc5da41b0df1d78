import { Header, Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS_CLIENT } from '@hotline/platform';
import { PROJECTION_VERSION_KEY } from './live-updates';

/** An answer is kept at most this long even if nothing changes (figures of "today" roll over). */
const TTL_SECONDS = 30;

const CACHE_KEY = 'metrics:cache:';

/**
 * The projection's version and the answer cached under it, in one round trip: the version key and
 * the cache's key prefix come as KEYS so the client's key prefix applies to both.
 */
const READ_CACHED = `local version = redis.call('GET', KEYS[1]) or '0'
return {version, redis.call('GET', KEYS[2] .. version .. ARGV[1])}`;

type CachedRead = [version: string, text?: string | null];

/**
 * A dashboard answer as JSON text. The routes that answer it are marked `@JsonAnswer()`, so the
 * text is sent as it is: a cache hit is never parsed and serialised again (which was an eighth of
 * metrics' time under the dashboard's warm load).
 */
export type JsonText<T> = string & { readonly __answer?: T };

/** Marks a route whose handler returns a `JsonText`. */
export const JsonAnswer = () => Header('Content-Type', 'application/json; charset=utf-8');

/**
 * Dashboard answers cached in Redis under the projection's current version: any commit moves
 * the version on, so a cached answer is never older than the data it was computed from. Redis
 * is a cache only: when it is away, flushed or slow, the answer is computed from PostgreSQL.
 */
@Injectable()
export class DashboardCache {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}

  async answer<T>(name: string, params: unknown, compute: () => Promise<T>): Promise<JsonText<T>> {
    const suffix = `:${name}:${JSON.stringify(params ?? null)}`;
    let key: string;
    try {
      const [version, hit] = (await this.redis.eval(READ_CACHED, 2, PROJECTION_VERSION_KEY, CACHE_KEY, suffix)) as CachedRead;
      if (typeof hit === 'string') return hit;
      key = `${CACHE_KEY}${version}${suffix}`;
    } catch {
      return JSON.stringify(await compute());
    }
    // The version is read before the data: an answer computed while a commit lands is filed
    // under the old version, which no reader asks for once the commit has moved it on.
    const text = JSON.stringify(await compute());
    this.redis.set(key, text, 'EX', TTL_SECONDS).catch(() => undefined);
    return text;
  }
}
