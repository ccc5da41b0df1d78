import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { AuthenticatedUser, CurrentUser, maskName, maskPhone, PiiCipher, Roles } from '@hotline/auth';
import { BUSINESS_DOMAINS, BusinessDomain, employerKey, TICKET_NUMBER_PATTERN, toOffsetIso } from '@hotline/contracts';
import { IsCalendarDay, refusedField, SERVICE_ENVIRONMENT } from '@hotline/platform';
import { PII_CIPHER } from '../caller-details/pii-cipher.provider';
import { hashPhone } from '../caller-identity/phone-hash';
import { IntakeEnvironment } from '../intake.environment';
import { findRepeatCandidates } from '../repeat-demands/repeat-candidates';
import { PHONE_PATTERN } from '../receive-ticket/receive-ticket.request.dto';
import { Ticket } from '../tickets/ticket.entity';

export class IntakeTicketsQuery {
  /** Only the tickets I recorded. */
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true')
  @IsBoolean()
  mine = false;

  /** The Asia/Shanghai day they were received; today when omitted. */
  @IsOptional()
  @IsCalendarDay()
  day?: string;

  @IsOptional()
  @Matches(TICKET_NUMBER_PATTERN, { message: 'number must look like 12333-YYYYMMDD-NNNNNN' })
  number?: string;
}

export class PhoneSearchRequest {
  @IsString()
  @Matches(PHONE_PATTERN, { message: 'phone must be a mobile number (11 digits) or a landline with area code' })
  phone: string;
}

export class RepeatCandidatesRequest {
  @IsOptional()
  @IsString()
  @Matches(PHONE_PATTERN, { message: 'phone must be a mobile number (11 digits) or a landline with area code' })
  phone?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  employerName?: string;

  @IsOptional()
  @IsIn(BUSINESS_DOMAINS)
  domain?: BusinessDomain;
}

/**
 * The operator's desk (坐席): my tickets today, search by number or by phone (through its
 * hash), and the originals a demand being typed may repeat. Callers' details come masked.
 */
@Controller('api/intake')
export class OperatorViewsController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_ENVIRONMENT) private readonly env: IntakeEnvironment,
    @Inject(PII_CIPHER) private readonly cipher: PiiCipher,
  ) {}

  @Roles('operator', 'dispatcher', 'supervisor', 'admin')
  @Get('tickets')
  async list(@Query() query: IntakeTicketsQuery, @CurrentUser() user: AuthenticatedUser) {
    const qb = this.dataSource.getRepository(Ticket).createQueryBuilder('t');
    if (query.number) {
      qb.where('t.number = :number', { number: query.number });
    } else {
      const day = query.day ?? new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
      qb.where(`t.received_at >= (:day)::date::timestamp AT TIME ZONE 'Asia/Shanghai'`, { day }).andWhere(`t.received_at < ((:day)::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'`, { day });
    }
    if (query.mine) qb.andWhere('t.created_by = :me', { me: user.id });
    const rows = await qb.orderBy('t.received_at', 'DESC').take(500).getMany();
    return { items: rows.map((t) => this.present(t)), total: rows.length };
  }

  @Roles('operator', 'supervisor')
  @Post('tickets/search')
  @HttpCode(200)
  async byPhone(@Body() body: PhoneSearchRequest) {
    const rows = await this.dataSource.getRepository(Ticket).find({
      where: { callerPhoneHash: hashPhone(body.phone, this.env.CALLER_HASH_KEY) },
      order: { receivedAt: 'DESC' },
      take: 100,
    });
    return { items: rows.map((t) => this.present(t)), total: rows.length };
  }

  /** While the operator types: the open tickets this demand may repeat (并单 candidates). */
  @Roles('operator')
  @Post('repeat-candidates')
  @HttpCode(200)
  async repeatCandidates(@Body() body: RepeatCandidatesRequest) {
    if (!body.phone && !(body.employerName && body.domain)) {
      throw refusedField('phone', 'give the caller’s phone, or employerName with domain', '请填写来电人电话，或用人单位及业务领域');
    }
    const candidates = await findRepeatCandidates(this.dataSource.manager, {
      callerPhoneHash: body.phone ? hashPhone(body.phone, this.env.CALLER_HASH_KEY) : null,
      employerKey: employerKey(body.employerName),
      domain: body.domain ?? null,
    });
    return candidates.map((c) => ({
      id: c.id,
      number: c.number,
      title: c.title,
      domain: c.domain,
      regionCode: c.regionCode,
      receivedAt: toOffsetIso(c.receivedAt),
      repeatCount: c.repeatCount,
      matchedOn: c.matchedOn,
    }));
  }

  private present(t: Ticket) {
    return {
      id: t.id,
      number: t.number,
      title: t.title,
      channel: t.channel,
      demandType: t.demandType,
      domain: t.domain,
      categoryCode: t.categoryCode,
      urgency: t.urgency,
      regionCode: t.regionCode,
      disposition: t.disposition,
      repeatCount: t.repeatCount,
      receivedAt: toOffsetIso(t.receivedAt),
      createdByUsername: t.createdByUsername,
      caller: { name: maskName(t.callerName), phone: maskPhone(this.cipher.decrypt(t.callerPhoneCipher)) },
    };
  }
}
