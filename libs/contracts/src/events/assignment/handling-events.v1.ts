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
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  BUSINESS_DOMAINS,
  BusinessDomain,
  DEMAND_TYPES,
  DemandType,
  URGENCIES,
  Urgency,
} from '../../enums/ticket.enums';
import { REGION_CODES } from '../../reference/regions';
import { TICKET_NUMBER_PATTERN } from '../intake/ticket-received.v1';

/** A department as events name it: id for joins, code and name for people. */
export class DepartmentRefV1 {
  @IsUUID()
  departmentId: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  departmentCode: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  departmentName: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the mixin pattern needs an open constructor type
type Constructor<T = object> = new (...args: any[]) => T;

/** Adds the ticket's facts that routing and the clocks look at; every dispatch event carries them. */
function withTicketFacts<B extends Constructor>(Base: B) {
  class WithTicketFacts extends Base {
    @Matches(TICKET_NUMBER_PATTERN)
    number: string;

    @IsIn(REGION_CODES)
    regionCode: string;

    @IsIn(DEMAND_TYPES)
    demandType: DemandType;

    @IsIn(BUSINESS_DOMAINS)
    domain: BusinessDomain;

    @IsIn(URGENCIES)
    urgency: Urgency;
  }
  return WithTicketFacts;
}

/** A ticket's facts, before any department has it. */
export class TicketFactsV1 extends withTicketFacts(class {}) {}

/** A ticket's facts and the department (主办) it is with. */
export class TicketAtDepartmentV1 extends withTicketFacts(DepartmentRefV1) {}

/** 待人工派单 — no rule decided with confidence: the ticket waits in the dispatcher's queue. */
export class TicketRoutingReviewRequestedV1 extends TicketFactsV1 {
  @IsOptional()
  @ValidateNested()
  @Type(() => DepartmentRefV1)
  suggested?: DepartmentRefV1;

  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

/** 签收 — the department's handler took responsibility for the ticket. */
export class TicketAcceptedV1 {
  @IsUUID()
  departmentId: string;

  @IsISO8601({ strict: true })
  acceptedAt: string;
}

export const REPLY_OUTCOMES = ['resolved', 'partly', 'unresolved'] as const;
export type ReplyOutcome = (typeof REPLY_OUTCOMES)[number];

/** 办理回复 — the department replied with what it did and the outcome. */
export class TicketRepliedV1 {
  @IsUUID()
  departmentId: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  content: string;

  @IsIn(REPLY_OUTCOMES)
  outcome: ReplyOutcome;

  @IsISO8601({ strict: true })
  repliedAt: string;
}

/** 退单 — the department sent back a ticket it says is not its own, with the reason. */
export class TicketReturnedV1 {
  @IsUUID()
  departmentId: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;

  /** Returns of this ticket so far, this one included. */
  @IsInt()
  @Min(1)
  returnCount: number;

  @IsISO8601({ strict: true })
  returnedAt: string;
}

/** 退单驳回 — the dispatcher found the routing right: the ticket goes back to the department. */
export class TicketReturnRejectedV1 {
  @IsUUID()
  departmentId: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;
}

export const REASSIGNMENT_KINDS = ['return-accepted', 'transfer'] as const;
export type ReassignmentKind = (typeof REASSIGNMENT_KINDS)[number];

/** 改派 / 转办 — the ticket moved to another department; its sign-for clock starts again there. */
export class TicketReassignedV1 extends TicketAtDepartmentV1 {
  @IsIn(REASSIGNMENT_KINDS)
  kind: ReassignmentKind;

  @IsUUID()
  fromDepartmentId: string;

  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => DepartmentRefV1)
  coHandlers: DepartmentRefV1[];

  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;
}

/** 延期申请 — the handler asks for more working days before the reply deadline. */
export class TicketExtensionRequestedV1 {
  @IsUUID()
  requestId: string;

  @IsUUID()
  departmentId: string;

  @IsInt()
  @Min(1)
  @Max(10)
  workingDays: number;

  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;
}

/** 暂停申请 — waiting for the citizen's materials; supervision decides whether the clock stops. */
export class TicketPauseRequestedV1 {
  @IsUUID()
  requestId: string;

  @IsUUID()
  departmentId: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;
}

/** 协办意见 — a co-handling department added its part; the main department replies once all have. */
export class TicketCoHandlingNotedV1 {
  @IsUUID()
  departmentId: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  content: string;
}
