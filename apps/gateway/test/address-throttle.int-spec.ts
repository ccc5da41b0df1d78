import { createRedisClient } from '@hotline/platform';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { AddressThrottle } from '../src/auth/login-protection';
import { GatewayEnvironment } from '../src/gateway.environment';

describe('failed logins per address (real Redis)', () => {
  let redis: Redis;
  const env = Object.assign(new GatewayEnvironment(), { ADDRESS_MAX_FAILURES: 5, LOGIN_LOCK_MINUTES: 15 });

  beforeAll(async () => {
    redis = createRedisClient(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'throttle-test', `test.throttle.${randomBytes(4).toString('hex')}:`);
    // No offline queue: commands before the connection is up fail (and the throttle lets them through).
    if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  });

  afterAll(() => redis.quit());

  it('refuses an address after repeated failures, for the lock window, and no other address', async () => {
    const throttle = new AddressThrottle(redis, env);
    for (let i = 0; i < 4; i += 1) await throttle.recordFailure('10.0.0.1');
    expect(await throttle.isBlocked('10.0.0.1')).toBe(false);
    await throttle.recordFailure('10.0.0.1');
    expect(await throttle.isBlocked('10.0.0.1')).toBe(true);
    expect(await throttle.isBlocked('10.0.0.2')).toBe(false);
    const ttl = await redis.ttl('gateway:login-failures:10.0.0.1');
    expect(ttl).toBeGreaterThan(14 * 60);
    expect(ttl).toBeLessThanOrEqual(15 * 60);
  });

  it('lets logins through when Redis is down rather than locking everyone out', async () => {
    const down = createRedisClient('redis://127.0.0.1:1', 'throttle-down', 'test.down:');
    down.on('error', () => undefined);
    try {
      const throttle = new AddressThrottle(down, env);
      await throttle.recordFailure('10.0.0.3');
      expect(await throttle.isBlocked('10.0.0.3')).toBe(false);
    } finally {
      down.disconnect();
    }
  });
});
