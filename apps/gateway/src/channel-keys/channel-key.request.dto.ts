import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Channel } from '@hotline/contracts';

/** Channels that call in by key: the phone line is the operators' own desk. */
export const KEYED_CHANNELS = ['web', 'direct-report', 'letter-visit', 'partner'] as const;

export class CreateChannelKeyRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @IsIn(KEYED_CHANNELS)
  channel: Channel;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  ratePerMinute = 60;
}
