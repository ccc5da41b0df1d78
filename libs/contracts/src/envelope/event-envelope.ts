import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ROLES, Role, SERVICE_NAMES, ServiceName } from '../enums/actor.enums';

/** Who caused an event: a person with a role (and department for handlers) or the system. */
export interface EventActor {
  id: string;
  role: Role | 'system';
  departmentId?: string;
}

export const SYSTEM_ACTOR: EventActor = Object.freeze({ id: 'system', role: 'system' });

/**
 * The one envelope every message on an events topic carries (ARCHITECTURE.md "Events").
 * `ticketId` is also the Kafka key, so one ticket's events stay in order on one partition.
 */
export interface EventEnvelope<P = unknown, T extends string = string> {
  eventId: string;
  type: T;
  version: number;
  ticketId: string;
  occurredAt: string;
  producer: ServiceName;
  actor: EventActor;
  /** The ticket's first event id: one value across the whole trip. */
  correlationId: string;
  /** The event that caused this one; null for a trip's first event. */
  causationId: string | null;
  payload: P;
}

export class EventActorSchema implements EventActor {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  id: string;

  @IsIn([...ROLES, 'system'])
  role: Role | 'system';

  @IsOptional()
  @IsString()
  @MaxLength(100)
  departmentId?: string;
}

/** Validation schema for the envelope; the payload is validated by its type's own class. */
export class EventEnvelopeSchema {
  @IsUUID()
  eventId: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  type: string;

  @IsInt()
  @Min(1)
  version: number;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  ticketId: string;

  @IsISO8601({ strict: true })
  occurredAt: string;

  @IsIn(SERVICE_NAMES)
  producer: ServiceName;

  @ValidateNested()
  @Type(() => EventActorSchema)
  actor: EventActorSchema;

  @IsUUID()
  correlationId: string;

  @IsOptional()
  @IsUUID()
  causationId: string | null;

  @IsObject()
  payload: Record<string, unknown>;
}
