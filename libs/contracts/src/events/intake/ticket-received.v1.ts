import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  BUSINESS_DOMAINS,
  BusinessDomain,
  CHANNELS,
  Channel,
  DEMAND_TYPES,
  DemandType,
  URGENCIES,
  Urgency,
} from '../../enums/ticket.enums';
import { REGION_CODES } from '../../reference/regions';

export const TICKET_NUMBER_PATTERN = /^12333-\d{8}-\d{6}$/;

/** What happens next: dispatch to a department, or nothing because it was answered on the call. */
export const DISPOSITIONS = ['dispatch', 'resolved-on-call'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

/** An attachment's name and where it is kept (the file itself never travels on the bus). */
export class AttachmentRefV1 {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reference: string;
}

/**
 * 需求受理 — a demand was received and became a ticket.
 * Carries no phone number: consumers get a keyed hash of it for repeat detection.
 */
export class TicketReceivedV1 {
  @Matches(TICKET_NUMBER_PATTERN)
  number: string;

  @IsIn(CHANNELS)
  channel: Channel;

  @IsIn(DEMAND_TYPES)
  demandType: DemandType;

  @IsIn(BUSINESS_DOMAINS)
  domain: BusinessDomain;

  @IsOptional()
  @IsString()
  @MaxLength(20)
  categoryCode?: string;

  @IsIn(URGENCIES)
  urgency: Urgency;

  @IsIn(REGION_CODES)
  regionCode: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  content: string;

  @Matches(/^[0-9a-f]{64}$/)
  callerPhoneHash: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  employerName?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  peopleAffected?: number;

  @IsISO8601({ strict: true })
  receivedAt: string;

  /** Absent in events written before it existed: those were all dispatched. */
  @IsOptional()
  @IsIn(DISPOSITIONS)
  disposition?: Disposition;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => AttachmentRefV1)
  attachments?: AttachmentRefV1[];

  /** 期望联系时间, in the caller's words ("工作日下午"). */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  desiredContactTime?: string;
}
