import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { REPLY_OUTCOMES, ReplyOutcome } from '@hotline/contracts';

export class ReplyRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  content: string;

  @IsIn(REPLY_OUTCOMES)
  outcome: ReplyOutcome;
}

export class ReasonRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;
}

export class ExtensionRequest {
  /** DOMAIN.md: at most 10 working days in total; supervision checks the total. */
  @IsInt()
  @Min(1)
  @Max(10)
  workingDays: number;

  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;
}

export class CoHandlingNoteRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  content: string;
}

export class DispatchRequest {
  @IsUUID()
  departmentId: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsUUID('all', { each: true })
  coHandlerIds: string[] = [];

  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;
}

export class ReturnDecisionRequest {
  /** True: the return is right and the ticket goes to `departmentId`; false: back to the department. */
  @IsBoolean()
  accept: boolean;

  @IsOptional()
  @IsUUID()
  departmentId?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;
}

export class TransferRequest {
  @IsUUID()
  departmentId: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;
}
