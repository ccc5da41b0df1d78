import { IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

/** 即时办结 — a consultation answered during the call; no department is involved, call-back still follows. */
export class TicketResolvedOnCallV1 {
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  answer: string;

  /** The knowledge-base entry the answer came from, if any. */
  @IsOptional()
  @IsUUID()
  knowledgeId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(20)
  knowledgeVersion?: string;

  @IsISO8601({ strict: true })
  resolvedAt: string;
}
