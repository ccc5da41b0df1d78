import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS_CLIENT, SERVICE_ENVIRONMENT } from '@hotline/platform';
import { GatewayEnvironment } from '../gateway.environment';

/**
 * Failed logins per address, counted in Redis over the lock window. Per-account lockout lives
 * in PostgreSQL with the account (it must survive a Redis flush); this is the cheap first line
 * against one address trying many accounts. When Redis is down it lets logins through.
 */
@Injectable()
export class AddressThrottle {
  private readonly logger = new Logger('login');

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(SERVICE_ENVIRONMENT) private readonly env: GatewayEnvironment,
  ) {}

  private key(address: string): string {
    return `gateway:login-failures:${address}`;
  }

  async isBlocked(address: string): Promise<boolean> {
    try {
      const count = Number((await this.redis.get(this.key(address))) ?? 0);
      return count >= this.env.ADDRESS_MAX_FAILURES;
    } catch (err) {
      this.logger.warn(`address throttle unavailable (${(err as Error).message})`);
      return false;
    }
  }

  async recordFailure(address: string): Promise<void> {
    try {
      await this.redis
        .multi()
        .incr(this.key(address))
        .expire(this.key(address), this.env.LOGIN_LOCK_MINUTES * 60, 'NX')
        .exec();
    } catch (err) {
      this.logger.warn(`address throttle unavailable (${(err as Error).message})`);
    }
  }
}
