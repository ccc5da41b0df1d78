import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SERVICE_ENVIRONMENT, ServiceEnvironment } from '@hotline/platform';
import type { Request, Response } from 'express';
import { InvalidTokenError, InvalidTokenReason, verifyAccessToken } from '../token/access-token';
import { routeAccess } from './access.decorators';
import { AuthenticatedUser, userFromClaims } from './authenticated-user';

const REASON_IN_WORDS: Record<InvalidTokenReason, string> = {
  malformed: 'the token is malformed',
  'wrong-algorithm': 'the token is signed with an algorithm that is not accepted',
  'bad-signature': 'the token signature is not valid',
  expired: 'the token has expired',
  'invalid-claims': 'the token claims are not valid',
};

type AuthRequest = Request & { user?: AuthenticatedUser };

/** Why a caller is not authenticated, in words for the client; anything else is our bug (500). */
class NotAuthenticated extends Error {}

/**
 * Every HTTP route is closed unless it says otherwise: @Public() opens it, @Roles() opens it to
 * those roles with a valid token, and a route that says neither is refused — a forgotten
 * declaration must fail safe, not leak tickets.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('auth');
  /** Each undeclared route is reported once, not on every request. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- Nest handlers are plain Functions
  private readonly reported = new WeakSet<Function>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(SERVICE_ENVIRONMENT) private readonly env: ServiceEnvironment,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    // Kafka consumers and other non-HTTP contexts carry no bearer token; they are not ours to guard.
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthRequest>();
    const access = routeAccess(this.reflector, [context.getHandler(), context.getClass()]);

    if (access.kind === 'public') {
      // A valid token on a public route still tells the handler who is calling; a bad one is ignored.
      const header = request.headers.authorization;
      if (header) {
        try {
          request.user = this.authenticate(header);
        } catch (err) {
          if (!(err instanceof NotAuthenticated)) throw err;
        }
      }
      return true;
    }

    if (access.kind === 'undeclared') {
      const handler = context.getHandler();
      if (!this.reported.has(handler)) {
        this.reported.add(handler);
        this.logger.warn(
          `${context.getClass().name}.${handler.name} (${request.method} ${request.route?.path ?? request.path}) ` +
            'declares neither @Public() nor @Roles(): every request is refused',
        );
      }
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: ['route: no access is declared for this route'] });
    }

    const header = request.headers.authorization;
    try {
      request.user = this.authenticate(header);
    } catch (err) {
      if (!(err instanceof NotAuthenticated)) throw err;
      // RFC 6750 §3: a 401 for a bearer-protected resource names the scheme.
      context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="hotline"');
      throw new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message: [`authorization: ${err.message}`] });
    }
    if (!access.roles.includes(request.user.role)) {
      throw new ForbiddenException({
        statusCode: 403,
        error: 'Forbidden',
        message: [`role: ${request.user.role} may not do this`],
      });
    }
    return true;
  }

  /** The caller of a valid token; otherwise throws NotAuthenticated saying what is wrong, in words. */
  private authenticate(header: string | undefined): AuthenticatedUser {
    if (!header) throw new NotAuthenticated('a bearer token is required');
    const match = /^Bearer +(\S+)$/i.exec(header.trim());
    if (!match) throw new NotAuthenticated('must be "Bearer <token>"');
    const secrets = [this.env.JWT_SECRET, this.env.JWT_PREVIOUS_SECRET].filter((s): s is string => !!s);
    try {
      return userFromClaims(verifyAccessToken(match[1], secrets));
    } catch (err) {
      if (err instanceof InvalidTokenError) throw new NotAuthenticated(REASON_IN_WORDS[err.reason]);
      throw err;
    }
  }
}
