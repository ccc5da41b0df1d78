import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { DeadLetterErrorKind } from '../dead-letter';
import {
  EVENT_CATALOG,
  EventPayload,
  EventType,
  isEventType,
  latestVersion,
  payloadClass,
} from '../events/event-catalog';
import { EventActor, EventEnvelope, EventEnvelopeSchema, SYSTEM_ACTOR } from './event-envelope';
import { ContractClass, schemaAccepts } from '../validation/schema-check';
import { uuidv7 } from './uuid-v7';

/** A message that breaks the contract; `kind` tells a dead-letter reader what went wrong. */
export class EventContractError extends Error {
  constructor(
    readonly kind: Exclude<DeadLetterErrorKind, 'handler-failed'>,
    message: string,
    readonly details: string[] = [],
  ) {
    super(details.length ? `${message}: ${details.join('; ')}` : message);
    this.name = 'EventContractError';
  }
}

/** A parsed event whose type is in the catalog; narrow on `type` to get the payload type. */
export type KnownEvent = { [T in EventType]: EventEnvelope<EventPayload<T>, T> }[EventType];

export interface NewEventMeta {
  ticketId: string;
  actor?: EventActor;
  /** The event that caused this one: correlation and causation ids come from it. */
  cause?: Pick<EventEnvelope, 'eventId' | 'correlationId'>;
  occurredAt?: Date;
}

/** Builds a new event of the current version; throws if the payload breaks the contract. */
export function createEvent<T extends EventType>(
  type: T,
  payload: EventPayload<T>,
  meta: NewEventMeta,
): EventEnvelope<EventPayload<T>, T> {
  const eventId = uuidv7();
  const envelope: EventEnvelope<EventPayload<T>, T> = {
    eventId,
    type,
    version: latestVersion(type),
    ticketId: meta.ticketId,
    occurredAt: toOffsetIso(meta.occurredAt ?? new Date()),
    producer: EVENT_CATALOG[type].producer,
    actor: meta.actor ?? SYSTEM_ACTOR,
    correlationId: meta.cause?.correlationId ?? eventId,
    causationId: meta.cause?.eventId ?? null,
    payload: stripUndefined(payload) as EventPayload<T>,
  };
  validateEnvelope(envelope);
  return envelope;
}

export function serializeEvent(event: EventEnvelope): string {
  return JSON.stringify(event);
}

export interface ParseOptions {
  /**
   * Whether to validate the payload of an event of this type (all, unless told). A consumer
   * validates the payloads of the types it acts on; the others it only passes over, and
   * checking them costs as much as the rest of its work (a fifth to a third of its CPU).
   */
  validatePayload?: (type: EventType) => boolean;
}

/**
 * Parses and validates a message from the wire; throws EventContractError on any breach. The
 * envelope, type and version are always checked; the payload unless `validatePayload` says not.
 */
export function parseEvent(raw: Buffer | string | null | undefined, options: ParseOptions = {}): KnownEvent {
  if (raw === null || raw === undefined) throw new EventContractError('malformed-json', 'message has no value');
  let data: unknown;
  try {
    data = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch (err) {
    throw new EventContractError('malformed-json', `message is not JSON (${(err as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new EventContractError('invalid-envelope', 'message is not a JSON object');
  }
  validateEnvelope(data as EventEnvelope, options.validatePayload);
  return data as KnownEvent;
}

function validateEnvelope(envelope: EventEnvelope, validatePayload?: (type: EventType) => boolean): void {
  const envelopeErrors = validateContract(EventEnvelopeSchema, envelope);
  if (envelopeErrors.length) {
    throw new EventContractError('invalid-envelope', 'envelope is invalid', flattenErrors(envelopeErrors));
  }
  if (!isEventType(envelope.type)) {
    throw new EventContractError('unknown-type', `unknown event type '${envelope.type}'`);
  }
  const cls = payloadClass(envelope.type, envelope.version);
  if (!cls) {
    throw new EventContractError(
      'unsupported-version',
      `version ${envelope.version} of '${envelope.type}' is not supported`,
    );
  }
  if (validatePayload && !validatePayload(envelope.type)) return;
  const payloadErrors = validateContract(cls, envelope.payload);
  if (payloadErrors.length) {
    throw new EventContractError(
      'invalid-payload',
      `payload of '${envelope.type}' v${envelope.version} is invalid`,
      flattenErrors(payloadErrors),
    );
  }
}

/**
 * validateSync's errors for `value` as an instance of `cls`; a value the compiled check accepts is
 * not put through class-transformer and class-validator at all (schema-check.ts: the same answer).
 */
function validateContract(cls: ContractClass, value: unknown): ValidationError[] {
  return schemaAccepts(cls, value) ? [] : validateSync(plainToInstance(cls as new () => object, value as object));
}

/** `field: what is wrong` lines, with nested paths (`routing.reason: …`). */
export function flattenErrors(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => `${path}: ${m}`);
    return [...own, ...flattenErrors(e.children ?? [], path)];
  });
}

/** ISO-8601 with the +08:00 offset of Asia/Shanghai, the hotline's wall clock. */
export function toOffsetIso(instant: Date): string {
  const shifted = new Date(instant.getTime() + 8 * 3600_000);
  return shifted.toISOString().replace('Z', '+08:00');
}

function stripUndefined<T extends object>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
