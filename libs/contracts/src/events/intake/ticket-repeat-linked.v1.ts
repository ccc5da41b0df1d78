import { IsIn, IsInt, IsISO8601, IsNotEmpty, IsString, IsUUID, Matches, MaxLength, Min } from 'class-validator';
import { BUSINESS_DOMAINS, BusinessDomain, CHANNELS, Channel } from '../../enums/ticket.enums';
import { REGION_CODES } from '../../reference/regions';

export const REPEAT_MATCHES = ['caller', 'employer'] as const;
export type RepeatMatch = (typeof REPEAT_MATCHES)[number];

/**
 * 并单 — a new demand about an open matter was linked to its original ticket instead of becoming a
 * ticket of its own. The event is the original's (its ticketId); the demand is not dispatched.
 */
export class TicketRepeatLinkedV1 {
  @IsUUID()
  repeatId: string;

  /** How many repeats the original has now, this one included. */
  @IsInt()
  @Min(1)
  repeatCount: number;

  @IsIn(REPEAT_MATCHES)
  matchedOn: RepeatMatch;

  @IsIn(CHANNELS)
  channel: Channel;

  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  content: string;

  @Matches(/^[0-9a-f]{64}$/)
  callerPhoneHash: string;

  /** The original's region and domain, so readers can count repeats without looking it up. */
  @IsIn(REGION_CODES)
  regionCode: string;

  @IsIn(BUSINESS_DOMAINS)
  domain: BusinessDomain;

  @IsISO8601({ strict: true })
  receivedAt: string;
}
