import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { AuthenticatedUser, CurrentUser, Roles } from '@hotline/auth';
import { REGION_CODES, toOffsetIso, uuidv7 } from '@hotline/contracts';
import { SERVICE_ENVIRONMENT } from '@hotline/platform';
import { hashPhone } from '../caller-identity/phone-hash';
import { IntakeEnvironment } from '../intake.environment';
import { PHONE_PATTERN } from '../receive-ticket/receive-ticket.request.dto';
import { REFERRALS, Refusal, REFUSAL_KINDS, RefusalKind } from './refusal';

export class RefuseDemandRequest {
  @IsIn(REFUSAL_KINDS)
  kind: RefusalKind;

  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  content: string;

  @IsOptional()
  @IsIn(REGION_CODES)
  regionCode?: string;

  @IsOptional()
  @IsString()
  @Matches(PHONE_PATTERN, { message: 'callerPhone must be a mobile number (11 digits) or a landline with area code' })
  callerPhone?: string;
}

export class RefusalsQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 100;
}

@Controller('api/intake/refusals')
export class RefusalsController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_ENVIRONMENT) private readonly env: IntakeEnvironment,
  ) {}

  /** POST /api/intake/refusals — 不予受理: record the refusal, get the referral to read to the caller. */
  @Roles('operator')
  @Post()
  @HttpCode(201)
  async refuse(@Body() body: RefuseDemandRequest, @CurrentUser() user: AuthenticatedUser) {
    const refusal: Omit<Refusal, 'at'> = {
      id: uuidv7(),
      kind: body.kind,
      regionCode: body.regionCode ?? null,
      content: body.content,
      callerPhoneHash: body.callerPhone ? hashPhone(body.callerPhone, this.env.CALLER_HASH_KEY) : null,
      referral: REFERRALS[body.kind],
      createdBy: user.id,
      createdByUsername: user.username,
    };
    await this.dataSource.getRepository(Refusal).insert(refusal);
    return { id: refusal.id, kind: refusal.kind, referral: refusal.referral };
  }

  /** GET /api/intake/refusals — recent refusals, for review. */
  @Roles('supervisor', 'admin')
  @Get()
  async list(@Query() query: RefusalsQuery) {
    const rows = await this.dataSource.getRepository(Refusal).find({ order: { at: 'DESC' }, take: query.limit });
    return rows.map(({ callerPhoneHash: _hash, ...r }) => ({ ...r, at: toOffsetIso(r.at) }));
  }
}
