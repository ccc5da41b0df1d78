import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, Min } from 'class-validator';

/** 延期审批 — a supervisor approved or denied an extension request. */
export class TicketExtensionDecidedV1 {
  @IsUUID()
  requestId: string;

  @IsBoolean()
  approved: boolean;

  /** The reply deadline after the decision (unchanged when denied). */
  @IsOptional()
  @IsISO8601({ strict: true })
  replyDeadline?: string;

  @IsString()
  @MaxLength(1000)
  comment: string;
}

/** 审核 — a supervisor approved the handler's reply or sent it back. */
export class TicketReplyReviewedV1 {
  @IsBoolean()
  approved: boolean;

  @IsString()
  @MaxLength(1000)
  comment: string;
}

/** 重办 — the citizen was not satisfied: the ticket goes back to the same department. */
export class TicketReopenedV1 {
  @IsUUID()
  departmentId: string;

  @IsString()
  @MaxLength(1000)
  reason: string;

  @IsInt()
  @Min(1)
  reopenCount: number;
}

/** How a ticket closed; `unsatisfied` only for a consultation answered on the call (nothing to reopen). */
export const CLOSE_OUTCOMES = ['satisfied', 'basically-satisfied', 'unsatisfied', 'unreachable'] as const;
export type CloseOutcome = (typeof CLOSE_OUTCOMES)[number];

/** 办结 — the loop is closed. */
export class TicketClosedV1 {
  @IsIn(CLOSE_OUTCOMES)
  outcome: CloseOutcome;

  @IsISO8601({ strict: true })
  closedAt: string;
}

/** 暂停审批 — a supervisor decided whether the clock stops while the citizen's materials are awaited. */
export class TicketPauseDecidedV1 {
  @IsUUID()
  requestId: string;

  @IsBoolean()
  approved: boolean;

  @IsString()
  @MaxLength(1000)
  comment: string;
}
