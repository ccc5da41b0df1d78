import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  IsUUID,
  ValidateNested,
} from 'class-validator';
import {
  BUSINESS_DOMAINS,
  BusinessDomain,
  CHANNELS,
  Channel,
  DEMAND_TYPES,
  DemandType,
  REGION_CODES,
  URGENCIES,
  Urgency,
} from '@hotline/contracts';
import { IsChineseIdNumber } from '@hotline/auth';

/** Mainland mobile (1xx xxxx xxxx) or landline with area code (023-6xxxxxxx). */
export const PHONE_PATTERN = /^(?:(?:\+86|0086)?1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

export class CallerDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  name: string;

  @IsString()
  @Matches(PHONE_PATTERN, { message: 'phone must be a mobile number (11 digits) or a landline with area code' })
  phone: string;

  /** 身份证号, optional: checked against the GB 11643 check digit. */
  @IsOptional()
  @IsChineseIdNumber()
  idNumber?: string;
}

export class AttachmentDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  /** Where the file is kept (the document store's reference); files never pass through here. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reference: string;
}

export class ResolveOnCallDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  answer: string;

  @IsOptional()
  @IsUUID()
  knowledgeId?: string;
}

export class RepeatOverrideDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

/** The body of POST /api/tickets: a new demand as the operator or a channel records it. */
export class ReceiveTicketRequest {
  @IsOptional()
  @IsIn(CHANNELS)
  channel: Channel = 'phone';

  @IsIn(DEMAND_TYPES)
  demandType: DemandType;

  @IsIn(BUSINESS_DOMAINS)
  domain: BusinessDomain;

  /** A code of the category tree (GET /api/categories), in the ticket's domain. */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z]{2}(\.\d{2}){0,2}$/, { message: 'categoryCode must be a code of the category tree, like SB.02.01' })
  categoryCode?: string;

  @IsOptional()
  @IsIn(URGENCIES)
  urgency: Urgency = 'normal';

  @IsIn(REGION_CODES, { message: 'regionCode must be one of the 41 region codes of Chongqing' })
  regionCode: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  content: string;

  @IsObject()
  @ValidateNested()
  @Type(() => CallerDto)
  caller: CallerDto;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  employerName?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  peopleAffected?: number;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  address?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => AttachmentDto)
  attachments?: AttachmentDto[];

  /** 期望联系时间 in the caller's words. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  desiredContactTime?: string;

  /** 即时办结: the operator answered the consultation during the call. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ResolveOnCallDto)
  resolveOnCall?: ResolveOnCallDto;

  /** Link to this original ticket (one of the repeat candidates shown to the operator). */
  @IsOptional()
  @IsUUID()
  repeatOf?: string;

  /** Create a new ticket although repeat candidates exist, and say why. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RepeatOverrideDto)
  repeatOverride?: RepeatOverrideDto;
}
