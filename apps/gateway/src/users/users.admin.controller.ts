import { Body, Controller, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import type { Request } from 'express';
import { AuthenticatedUser, CurrentUser, Roles } from '@hotline/auth';
import { uuidParam } from '@hotline/platform';
import { clientAddress } from '../auth/auth.controller';
import { CreateUserRequest, ResetPasswordRequest, UpdateUserRequest } from './user.request.dto';
import { UserView } from './user-account.entity';
import { UsersService } from './users.service';

/** 用户管理 — accounts, roles, departments; admin only, every change audited. */
@Roles('admin')
@Controller('api/admin/users')
export class UsersAdminController {
  constructor(private readonly users: UsersService) {}

  @Get()
  list(): Promise<UserView[]> {
    return this.users.list();
  }

  @Post()
  @HttpCode(201)
  create(@Body() body: CreateUserRequest, @CurrentUser() actor: AuthenticatedUser, @Req() req: Request): Promise<UserView> {
    return this.users.create(body, actor, clientAddress(req));
  }

  @Put(':id')
  update(
    @Param('id', uuidParam()) id: string,
    @Body() body: UpdateUserRequest,
    @CurrentUser() actor: AuthenticatedUser,
    @Req() req: Request,
  ): Promise<UserView> {
    return this.users.update(id, body, actor, clientAddress(req));
  }

  @Post(':id/disable')
  @HttpCode(200)
  disable(@Param('id', uuidParam()) id: string, @CurrentUser() actor: AuthenticatedUser, @Req() req: Request) {
    return this.users.setDisabled(id, true, actor, clientAddress(req));
  }

  @Post(':id/enable')
  @HttpCode(200)
  enable(@Param('id', uuidParam()) id: string, @CurrentUser() actor: AuthenticatedUser, @Req() req: Request) {
    return this.users.setDisabled(id, false, actor, clientAddress(req));
  }

  @Post(':id/reset-password')
  @HttpCode(204)
  async resetPassword(
    @Param('id', uuidParam()) id: string,
    @Body() body: ResetPasswordRequest,
    @CurrentUser() actor: AuthenticatedUser,
    @Req() req: Request,
  ): Promise<void> {
    await this.users.resetPassword(id, body.password, actor, clientAddress(req));
  }
}
