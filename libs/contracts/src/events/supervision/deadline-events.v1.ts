import { IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { SLA_CLOCK_KINDS, SlaClockKind } from '../../enums/ticket.enums';

/** 预警 — a clock reached its warning fraction (yellow). */
export class TicketSlaWarningV1 {
  @IsUUID()
  clockId: string;

  @IsIn(SLA_CLOCK_KINDS)
  clock: SlaClockKind;

  @IsUUID()
  departmentId: string;

  @IsISO8601({ strict: true })
  deadline: string;
}

/** 超期 — a clock passed its deadline (red). */
export class TicketOverdueV1 {
  @IsUUID()
  clockId: string;

  @IsIn(SLA_CLOCK_KINDS)
  clock: SlaClockKind;

  @IsUUID()
  departmentId: string;

  @IsISO8601({ strict: true })
  deadline: string;
}

export const ESCALATION_REASONS = ['warning', 'overdue', 'listed', 'repeats', 'manual'] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

/**
 * 督办升级 — level 1 催办 (urge the handler), level 2 督办 (formal notice to the department head),
 * level 3 挂牌督办 (listed, reported to the bureau).
 */
export class TicketEscalatedV1 {
  @IsInt()
  @Min(1)
  @Max(3)
  level: number;

  @IsIn(ESCALATION_REASONS)
  reason: EscalationReason;

  @IsOptional()
  @IsUUID()
  departmentId?: string;

  /** The notice as sent, in Chinese. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  notice: string;
}

/** 催办 by hand — a supervisor urged the department with a note. */
export class TicketUrgedV1 {
  @IsOptional()
  @IsUUID()
  departmentId?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  note: string;
}

export const SATISFACTIONS = ['satisfied', 'basically-satisfied', 'unsatisfied', 'unreachable'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];

/** 回访 — the citizen was called back (or could not be reached). */
export class TicketCallbackRecordedV1 {
  @IsIn(SATISFACTIONS)
  satisfaction: Satisfaction;

  @IsString()
  @MaxLength(2000)
  note: string;

  /** Which call-back attempt this was. */
  @IsInt()
  @Min(1)
  attempt: number;
}

/** 时限重算 — a running clock's deadlines changed after a calendar or policy correction. */
export class TicketSlaRecomputedV1 {
  @IsUUID()
  clockId: string;

  @IsIn(SLA_CLOCK_KINDS)
  clock: SlaClockKind;

  @IsISO8601({ strict: true })
  warningAt: string;

  @IsISO8601({ strict: true })
  deadline: string;

  @IsISO8601({ strict: true })
  previousDeadline: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
  /**
   * 退单时限 — with a sign-for clock: until when the department may return the ticket as wrongly
   * routed (RETURN_POLICY from the clock's start), on supervision's calendar, overrides included.
   */
  @IsOptional()
  @IsISO8601({ strict: true })
  returnBy?: string;
}
