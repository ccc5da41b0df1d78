import { HttpException, HttpStatus, Inject, Injectable, Logger, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { DataSource, IsNull } from 'typeorm';
import { AuthenticatedUser, signAccessToken } from '@hotline/auth';
import { uuidv7 } from '@hotline/contracts';
import { REDIS_CLIENT, SERVICE_ENVIRONMENT } from '@hotline/platform';
import { AuditTrail } from '../audit/audit-trail';
import { sha256 } from '../auth/session.service';
import { GatewayEnvironment } from '../gateway.environment';
import { ChannelKey } from './channel-key.entity';
import { CreateChannelKeyRequest } from './channel-key.request.dto';

export type ChannelKeyView = Omit<ChannelKey, 'keyHash'>;

/** Tokens minted for a channel call live just long enough to reach intake. */
const CHANNEL_TOKEN_TTL_SECONDS = 60;

@Injectable()
export class ChannelKeysService {
  private readonly logger = new Logger('channel-keys');

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(SERVICE_ENVIRONMENT) private readonly env: GatewayEnvironment,
  ) {}

  list(): Promise<ChannelKeyView[]> {
    return this.dataSource.getRepository(ChannelKey).find({ order: { createdAt: 'DESC' } });
  }

  /** Creates a key; the key itself is in this answer only, never stored or shown again. */
  async create(request: CreateChannelKeyRequest, actor: AuthenticatedUser, address: string) {
    const key = `hk_${randomBytes(24).toString('base64url')}`;
    const row: ChannelKey = {
      id: uuidv7(),
      name: request.name,
      channel: request.channel,
      keyHash: sha256(key),
      keyPrefix: key.slice(0, 8),
      ratePerMinute: request.ratePerMinute,
      createdAt: new Date(),
      revokedAt: null,
    };
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(ChannelKey).insert(row);
      await this.audit.record(
        { action: 'channel-key.created', actor: { id: actor.id, username: actor.username }, target: row.id, address, detail: { name: row.name, channel: row.channel } },
        manager,
      );
    });
    const { keyHash: _hash, ...view } = row;
    return { ...view, key };
  }

  async revoke(id: string, actor: AuthenticatedUser, address: string): Promise<ChannelKeyView> {
    return this.dataSource.transaction(async (manager) => {
      const keys = manager.getRepository(ChannelKey);
      const row = await keys.findOneBy({ id });
      if (!row) throw new NotFoundException(['id: no such channel key']);
      if (!row.revokedAt) {
        row.revokedAt = new Date();
        await keys.update(id, { revokedAt: row.revokedAt });
        await this.audit.record(
          { action: 'channel-key.revoked', actor: { id: actor.id, username: actor.username }, target: id, address },
          manager,
        );
      }
      return row;
    });
  }

  /**
   * Checks an `X-Api-Key` and its rate, and returns a short-lived token for the channel that
   * the owning service verifies like any other (services trust tokens, not the gateway).
   */
  async authenticate(key: string | undefined): Promise<string> {
    const refuse = (why: string) =>
      new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message: [`x-api-key: ${why}`] });
    if (!key) throw refuse('missing');
    const row = await this.dataSource.getRepository(ChannelKey).findOneBy({ keyHash: sha256(key), revokedAt: IsNull() });
    if (!row) throw refuse('unknown or revoked');
    if (!(await this.withinRate(row))) {
      throw new HttpException(
        { statusCode: 429, error: 'Too Many Requests', message: [`x-api-key: more than ${row.ratePerMinute} requests a minute`] },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    return signAccessToken(
      { sub: `channel-key:${row.id}`, username: row.name, role: 'channel', channel: row.channel },
      this.env.JWT_SECRET,
      CHANNEL_TOKEN_TTL_SECONDS,
    );
  }

  /** A fixed one-minute window per key in Redis; when Redis is down the limit is not applied. */
  private async withinRate(row: ChannelKey): Promise<boolean> {
    const window = Math.floor(Date.now() / 60_000);
    const counter = `gateway:channel-rate:${row.id}:${window}`;
    try {
      const [[, count]] = (await this.redis.multi().incr(counter).expire(counter, 120).exec()) as [[Error | null, number]];
      return count <= row.ratePerMinute;
    } catch (err) {
      this.logger.warn(`channel rate limit unavailable (${(err as Error).message})`);
      return true;
    }
  }
}
