import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { IsNotEmpty, IsString, MaxLength, MinLength } from 'class-validator';
import { DataSource } from 'typeorm';
import {
  AuthenticatedUser,
  CurrentUser,
  isInScope,
  maskIdNumber,
  maskName,
  maskPhone,
  PiiCipher,
  Roles,
  ticketScopeOf,
} from '@hotline/auth';
import { toOffsetIso } from '@hotline/contracts';
import { Ticket } from '../tickets/ticket.entity';
import { CallerReveal } from './caller-reveal.entity';
import { PII_CIPHER } from './pii-cipher.provider';

export class RevealCallerRequest {
  /** 查看事由 — why the full number is needed (e.g. "回访需要拨打来电人电话"). */
  @IsString()
  @IsNotEmpty()
  @MinLength(4)
  @MaxLength(200)
  reason: string;
}

const ticketId = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException(['id: no such ticket']) });

/**
 * 来电人信息 — the caller's details: masked for everyone who may see the ticket's caller,
 * in full only to operators and supervisors through an audited reveal.
 */
@Controller('api/tickets/:id/caller')
export class CallerDetailsController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(PII_CIPHER) private readonly cipher: PiiCipher,
  ) {}

  @Roles('operator', 'dispatcher', 'supervisor', 'admin')
  @Get()
  async masked(@Param('id', ticketId) id: string, @CurrentUser() user: AuthenticatedUser) {
    const ticket = await this.ticketInScope(id, user);
    return {
      name: maskName(ticket.callerName),
      phone: maskPhone(this.cipher.decrypt(ticket.callerPhoneCipher)),
      idNumber: ticket.callerIdNumberCipher ? maskIdNumber(this.cipher.decrypt(ticket.callerIdNumberCipher)) : null,
      masked: true,
    };
  }

  @Roles('operator', 'supervisor')
  @Post('reveal')
  @HttpCode(200)
  async reveal(
    @Param('id', ticketId) id: string,
    @Body() body: RevealCallerRequest,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
  ) {
    const ticket = await this.ticketInScope(id, user);
    const forwarded = req.headers['x-forwarded-for'];
    await this.dataSource.getRepository(CallerReveal).insert({
      ticketId: id,
      actorId: user.id,
      actorUsername: user.username,
      actorRole: user.role,
      reason: body.reason,
      address: (Array.isArray(forwarded) ? forwarded[0] : forwarded) ?? req.socket.remoteAddress ?? null,
    });
    return {
      name: ticket.callerName,
      phone: this.cipher.decrypt(ticket.callerPhoneCipher),
      idNumber: ticket.callerIdNumberCipher ? this.cipher.decrypt(ticket.callerIdNumberCipher) : null,
      masked: false,
    };
  }

  /** Who has seen this caller's full details, newest first. */
  @Roles('supervisor', 'admin')
  @Get('reveals')
  async reveals(@Param('id', ticketId) id: string, @CurrentUser() user: AuthenticatedUser) {
    await this.ticketInScope(id, user);
    const rows = await this.dataSource.getRepository(CallerReveal).find({ where: { ticketId: id }, order: { id: 'DESC' } });
    return rows.map((r) => ({
      actorId: r.actorId,
      actorUsername: r.actorUsername,
      actorRole: r.actorRole,
      reason: r.reason,
      address: r.address,
      at: toOffsetIso(r.at),
    }));
  }

  private async ticketInScope(id: string, user: AuthenticatedUser): Promise<Ticket> {
    const ticket = await this.dataSource.getRepository(Ticket).findOneBy({ id });
    if (!ticket || !isInScope(ticketScopeOf(user), { regionCode: ticket.regionCode, departmentId: null })) {
      throw new NotFoundException(['id: no such ticket']);
    }
    return ticket;
  }
}
