import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { AuthenticatedUser, CurrentUser, Roles } from '@hotline/auth';
import { uuidParam } from '@hotline/platform';
import { clientAddress } from '../auth/auth.controller';
import { CreateChannelKeyRequest } from './channel-key.request.dto';
import { ChannelKeysService } from './channel-keys.service';

/** 渠道密钥管理 — keys for direct-report points and partner systems. */
@Roles('admin')
@Controller('api/admin/channel-keys')
export class ChannelKeysAdminController {
  constructor(private readonly keys: ChannelKeysService) {}

  @Get()
  list() {
    return this.keys.list();
  }

  @Post()
  @HttpCode(201)
  create(@Body() body: CreateChannelKeyRequest, @CurrentUser() actor: AuthenticatedUser, @Req() req: Request) {
    return this.keys.create(body, actor, clientAddress(req));
  }

  @Post(':id/revoke')
  @HttpCode(200)
  revoke(@Param('id', uuidParam()) id: string, @CurrentUser() actor: AuthenticatedUser, @Req() req: Request) {
    return this.keys.revoke(id, actor, clientAddress(req));
  }
}
