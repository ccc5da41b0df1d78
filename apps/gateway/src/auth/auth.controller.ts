import { Body, Controller, Get, HttpCode, NotFoundException, Post, Req } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Request } from 'express';
import { Repository } from 'typeorm';
import { AuthenticatedUser, CurrentUser, Public, Roles } from '@hotline/auth';
import { ROLES } from '@hotline/contracts';
import { toUserView, UserAccount, UserView } from '../users/user-account.entity';
import { LoginRequest, RefreshRequest } from './login.request.dto';
import { Session, SessionService } from './session.service';

@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly sessions: SessionService,
    @InjectRepository(UserAccount) private readonly users: Repository<UserAccount>,
  ) {}

  /** POST /api/auth/login — `{username, password}` → tokens and the user. */
  @Public()
  @Post('login')
  @HttpCode(200)
  login(@Body() body: LoginRequest, @Req() req: Request): Promise<Session> {
    return this.sessions.login(body.username, body.password, clientAddress(req));
  }

  /** POST /api/auth/refresh — a new access token for a refresh token, which is replaced. */
  @Public()
  @Post('refresh')
  @HttpCode(200)
  refresh(@Body() body: RefreshRequest): Promise<Session> {
    return this.sessions.refresh(body.refreshToken);
  }

  @Roles(...ROLES.filter((r) => r !== 'channel'))
  @Post('logout')
  @HttpCode(204)
  async logout(@Body() body: RefreshRequest): Promise<void> {
    await this.sessions.logout(body.refreshToken);
  }

  /** GET /api/auth/me — the signed-in user, as stored now (a disabled account is refused). */
  @Roles(...ROLES.filter((r) => r !== 'channel'))
  @Get('me')
  async me(@CurrentUser() user: AuthenticatedUser): Promise<UserView> {
    const account = await this.users.findOneBy({ id: user.id, disabled: false });
    if (!account) throw new NotFoundException(['user: no longer active']);
    return toUserView(account);
  }
}

export function clientAddress(req: Request): string {
  return req.socket.remoteAddress ?? 'unknown';
}
