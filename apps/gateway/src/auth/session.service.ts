import { ForbiddenException, HttpException, HttpStatus, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { hashPassword, signAccessToken, verifyPassword } from '@hotline/auth';
import { toOffsetIso } from '@hotline/contracts';
import { SERVICE_ENVIRONMENT } from '@hotline/platform';
import { AuditTrail } from '../audit/audit-trail';
import { GatewayEnvironment } from '../gateway.environment';
import { toUserView, UserAccount, UserView } from '../users/user-account.entity';
import { AddressThrottle } from './login-protection';
import { RefreshToken } from './refresh-token.entity';

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: UserView;
}

const WRONG_CREDENTIALS = 'username or password is wrong';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** 登录 — passwords in, short-lived signed tokens out; failures counted and locked out. */
@Injectable()
export class SessionService {
  /** Verified against when the username does not exist, so timing does not reveal that. */
  private readonly decoyHash = hashPassword(randomBytes(16).toString('hex'));

  constructor(
    private readonly dataSource: DataSource,
    private readonly throttle: AddressThrottle,
    private readonly audit: AuditTrail,
    @Inject(SERVICE_ENVIRONMENT) private readonly env: GatewayEnvironment,
  ) {}

  async login(username: string, password: string, address: string): Promise<Session> {
    if (await this.throttle.isBlocked(address)) {
      await this.audit.record({ action: 'login.failed', target: username, address, detail: { reason: 'address-throttled' } });
      throw tooMany('address: too many failed logins from this address; try again later');
    }
    const user = await this.dataSource
      .getRepository(UserAccount)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.username = :username', { username })
      .getOne();
    const now = new Date();
    if (user?.lockedUntil && user.lockedUntil > now) {
      await this.audit.record({ action: 'login.locked', target: username, address, actor: null });
      throw tooMany(`username: account locked after repeated failed logins until ${toOffsetIso(user.lockedUntil)}`);
    }
    const passwordOk = await verifyPassword(password, user?.passwordHash ?? (await this.decoyHash));
    if (!user || !passwordOk) {
      await this.recordFailure(user, username, address, now);
      throw new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message: [WRONG_CREDENTIALS] });
    }
    if (user.disabled) {
      await this.audit.record({ action: 'login.failed', target: username, address, detail: { reason: 'disabled' } });
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: ['account: disabled by an administrator'] });
    }
    await this.dataSource.getRepository(UserAccount).update(user.id, { failedLogins: 0, lockedUntil: null });
    await this.audit.record({ action: 'login.succeeded', actor: user, target: user.id, address });
    return this.issue(user);
  }

  async refresh(refreshToken: string): Promise<Session> {
    const refuse = (why: string) =>
      new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message: [`refreshToken: ${why}`] });
    type Outcome = { kind: 'reused'; userId: string } | { kind: 'issued'; session: Session };
    const outcome = await this.dataSource.transaction(async (manager): Promise<Outcome> => {
      const tokens = manager.getRepository(RefreshToken);
      const stored = await tokens.findOne({ where: { tokenHash: sha256(refreshToken) }, lock: { mode: 'pessimistic_write' } });
      if (!stored) throw refuse('unknown or revoked');
      if (stored.usedAt) return { kind: 'reused', userId: stored.userId };
      if (stored.expiresAt <= new Date()) throw refuse('expired');
      const user = await manager.getRepository(UserAccount).findOneBy({ id: stored.userId });
      if (!user || user.disabled) throw refuse('account disabled');
      await tokens.update(stored.tokenHash, { usedAt: new Date() });
      return { kind: 'issued', session: await this.issue(user, manager) };
    });
    if (outcome.kind === 'reused') {
      // A used token coming back means it was copied: end every session of the account.
      await this.endSessions(outcome.userId);
      throw refuse('already used; every session of this account was ended');
    }
    return outcome.session;
  }

  async logout(refreshToken: string): Promise<void> {
    await this.dataSource.getRepository(RefreshToken).delete({ tokenHash: sha256(refreshToken) });
  }

  /** Ends every session of a user (password reset, disabling). */
  async endSessions(userId: string): Promise<void> {
    await this.dataSource.getRepository(RefreshToken).delete({ userId });
  }

  private async recordFailure(user: UserAccount | null, username: string, address: string, now: Date): Promise<void> {
    await this.throttle.recordFailure(address);
    let locked = false;
    if (user) {
      const failures = user.failedLogins + 1;
      locked = failures >= this.env.LOGIN_MAX_FAILURES;
      await this.dataSource.getRepository(UserAccount).update(user.id, {
        failedLogins: locked ? 0 : failures,
        lockedUntil: locked ? new Date(now.getTime() + this.env.LOGIN_LOCK_MINUTES * 60_000) : null,
      });
    }
    await this.audit.record({
      action: locked ? 'login.locked' : 'login.failed',
      target: username,
      address,
      detail: { reason: user ? 'wrong-password' : 'unknown-user' },
    });
  }

  private async issue(user: UserAccount, manager = this.dataSource.manager): Promise<Session> {
    const accessToken = signAccessToken(
      {
        sub: user.id,
        username: user.username,
        role: user.role,
        ...(user.departmentId ? { departmentId: user.departmentId } : {}),
        ...(user.regionCode ? { regionCode: user.regionCode } : {}),
      },
      this.env.JWT_SECRET,
      this.env.ACCESS_TOKEN_TTL_SECONDS,
    );
    const refreshToken = randomBytes(32).toString('base64url');
    await manager.getRepository(RefreshToken).insert({
      tokenHash: sha256(refreshToken),
      userId: user.id,
      expiresAt: new Date(Date.now() + this.env.REFRESH_TOKEN_TTL_SECONDS * 1000),
      usedAt: null,
    });
    return { accessToken, refreshToken, expiresIn: this.env.ACCESS_TOKEN_TTL_SECONDS, user: toUserView(user) };
  }
}

function tooMany(message: string): HttpException {
  return new HttpException({ statusCode: 429, error: 'Too Many Requests', message: [message] }, HttpStatus.TOO_MANY_REQUESTS);
}
