import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { InvalidTokenError, verifyAccessToken } from '@hotline/auth';
import { SERVICE_ENVIRONMENT } from '@hotline/platform';
import { ChannelKeysService } from '../channel-keys/channel-keys.service';
import { GatewayEnvironment } from '../gateway.environment';
import { ProxyRoute } from './route-table';

/**
 * The gateway's check before forwarding: a valid user token, or for the channel endpoint a
 * valid API key exchanged for a channel token. Services check the token again themselves;
 * this only answers bad credentials early, in one place.
 */
@Injectable()
export class ForwardAuthorizer {
  constructor(
    private readonly channelKeys: ChannelKeysService,
    @Inject(SERVICE_ENVIRONMENT) private readonly env: GatewayEnvironment,
  ) {}

  async authorize(req: Request, route: ProxyRoute): Promise<string> {
    if (route.access === 'channel-key') {
      const key = req.headers['x-api-key'];
      return `Bearer ${await this.channelKeys.authenticate(Array.isArray(key) ? key[0] : key)}`;
    }
    const header = req.headers.authorization ?? '';
    const token = /^Bearer (\S+)$/i.exec(header)?.[1];
    if (!token) throw unauthorized('authorization: a bearer token is required');
    try {
      verifyAccessToken(token, [this.env.JWT_SECRET, this.env.JWT_PREVIOUS_SECRET].filter((s): s is string => !!s));
    } catch (err) {
      if (err instanceof InvalidTokenError) throw unauthorized(`authorization: ${err.message}`);
      throw err;
    }
    return `Bearer ${token}`;
  }
}

function unauthorized(message: string): UnauthorizedException {
  return new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message: [message] });
}
