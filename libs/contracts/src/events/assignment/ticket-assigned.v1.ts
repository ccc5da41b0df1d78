import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsISO8601, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { DepartmentRefV1, TicketAtDepartmentV1 } from './handling-events.v1';

/** Why the ticket went where it went: the routing rule that matched, in words. */
export class RoutingDecisionV1 {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  ruleId?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

/** 派单 — the ticket was dispatched to a department (主办) that must now sign for it. */
export class TicketAssignedV1 extends TicketAtDepartmentV1 {
  /** When intake received it, so readers can attribute the receipt to this department's day. */
  @IsISO8601({ strict: true })
  receivedAt: string;

  @ValidateNested()
  @Type(() => RoutingDecisionV1)
  routing: RoutingDecisionV1;

  /** 协办 departments that add their part before the main department replies. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => DepartmentRefV1)
  coHandlers?: DepartmentRefV1[];

  /** A fixed title for inboxes; the full content stays in the ticket's first event. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  title?: string;
}
