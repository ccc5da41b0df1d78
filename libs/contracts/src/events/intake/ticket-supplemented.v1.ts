import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsISO8601, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { AttachmentRefV1 } from './ticket-received.v1';

/** 补充材料 — the citizen added information or attachments to an open ticket. */
export class TicketSupplementedV1 {
  @IsUUID()
  supplementId: string;

  @IsString()
  @MaxLength(4000)
  content: string;

  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => AttachmentRefV1)
  attachments: AttachmentRefV1[];

  @IsISO8601({ strict: true })
  supplementedAt: string;
}
