import { createRedisClient } from '@hotline/platform';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { DashboardCache } from '../src/live/dashboard-cache';
import { PROJECTION_VERSION_KEY } from '../src/live/live-updates';

describe('dashboard cache (real Redis)', () => {
  let redis: Redis;
  const prefix = `test.dashboard.${randomBytes(4).toString('hex')}:`;

  beforeAll(async () => {
    redis = createRedisClient(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'dashboard-cache-test', prefix);
    if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  });

  afterAll(async () => {
    const raw = redis.duplicate({ keyPrefix: undefined });
    if (raw.status !== 'ready') await new Promise((resolve) => raw.once('ready', resolve));
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length) await raw.del(...keys);
    raw.disconnect();
    await redis.quit();
  });

  it('answers JSON text, computes once per projection version, and again after the version moves', async () => {
    const cache = new DashboardCache(redis);
    let computed = 0;
    const compute = async () => ({ n: ++computed, label: '五色图' });

    const first = await cache.answer('grading', { month: '2026-11' }, compute);
    expect(JSON.parse(first)).toEqual({ n: 1, label: '五色图' });
    // The hit is the stored text itself, under the client's key prefix.
    expect(await cache.answer('grading', { month: '2026-11' }, compute)).toBe(first);
    expect(computed).toBe(1);
    const version = (await redis.get(PROJECTION_VERSION_KEY)) ?? '0';
    expect(await redis.get(`metrics:cache:${version}:grading:{"month":"2026-11"}`)).toBe(first);

    // Other parameters are another answer.
    expect(JSON.parse(await cache.answer('grading', { month: '2026-10' }, compute))).toEqual({ n: 2, label: '五色图' });

    await redis.incr(PROJECTION_VERSION_KEY);
    expect(JSON.parse(await cache.answer('grading', { month: '2026-11' }, compute))).toEqual({ n: 3, label: '五色图' });
    expect(JSON.parse(await cache.answer('grading', { month: '2026-11' }, compute))).toEqual({ n: 3, label: '五色图' });
  });

  it('computes every answer when Redis is away, and lets the computation’s refusal through', async () => {
    const down = createRedisClient('redis://127.0.0.1:1', 'dashboard-cache-down', 'test.down:');
    down.on('error', () => undefined);
    try {
      const cache = new DashboardCache(down);
      let computed = 0;
      const compute = async () => ({ n: ++computed });
      expect(JSON.parse(await cache.answer('overview', null, compute))).toEqual({ n: 1 });
      expect(JSON.parse(await cache.answer('overview', null, compute))).toEqual({ n: 2 });
      await expect(cache.answer('trends', {}, () => Promise.reject(new Error('to: must be on or after from')))).rejects.toThrow('to: must be on or after from');
    } finally {
      down.disconnect();
    }
  });
});
