import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsUUID, Min, ValidateNested } from 'class-validator';
import { SLA_CLOCK_KINDS, SLA_UNITS, SlaClockKind, SlaUnit } from '../../enums/ticket.enums';

export class SlaLimitV1 {
  @IsInt()
  @Min(1)
  amount: number;

  @IsIn(SLA_UNITS)
  unit: SlaUnit;
}

/** 计时开始 — an SLA clock started for the ticket, with the deadlines it will be held to. */
export class SlaStartedV1 {
  @IsUUID()
  clockId: string;

  @IsIn(SLA_CLOCK_KINDS)
  clock: SlaClockKind;

  @IsUUID()
  departmentId: string;

  @IsISO8601({ strict: true })
  startedAt: string;

  /** 预警 — when the clock turns yellow. */
  @IsISO8601({ strict: true })
  warningAt: string;

  @IsISO8601({ strict: true })
  deadline: string;

  @ValidateNested()
  @Type(() => SlaLimitV1)
  limit: SlaLimitV1;

  @IsInt()
  @Min(1)
  policyVersion: number;

  /** False when the deadline falls in a year whose official holiday notice is not yet in the calendar. */
  @IsBoolean()
  calendarConfirmed: boolean;

  /**
   * 退单时限 — with a sign-for clock: until when the department may return the ticket as wrongly
   * routed (RETURN_POLICY from the clock's start), on supervision's calendar, overrides included.
   */
  @IsOptional()
  @IsISO8601({ strict: true })
  returnBy?: string;
}
