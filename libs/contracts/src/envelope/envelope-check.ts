import { ROLES, SERVICE_NAMES } from '../enums/actor.enums';

/*
 * Every message a consumer reads has its envelope checked, also of the events it only passes
 * over. Through class-transformer and class-validator that cost ≈ 40 µs an envelope, seven times
 * parsing the JSON, and a fifth of a consumer's CPU in the pipeline benchmark's profiles.
 *
 * This is the same contract written out by hand for the common case: it answers true only for an
 * envelope EventEnvelopeSchema accepts (a subset of it, checked against it in
 * envelope-check.spec.ts), so a true answer skips class-validator and anything else is still
 * judged, and worded, by the schema. Change the two together.
 */

/** validator.js' isUUID 'all', which class-validator's @IsUUID() applies. */
const UUID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/i;

/**
 * The instants this system writes (`toOffsetIso`, `toISOString`): a subset of ISO-8601 strict,
 * years from 1000 (validator.js rebuilds the day from the year as a number, and refuses 0000).
 */
const INSTANT = /^([1-9]\d{3})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

const ACTOR_ROLES: ReadonlySet<unknown> = new Set([...ROLES, 'system']);
const PRODUCERS: ReadonlySet<unknown> = new Set(SERVICE_NAMES);

/** A non-empty string of at most 100 UTF-16 units (so at most 100 characters, as @MaxLength counts). */
function isShortText(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0 && value.length <= 100;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRealInstant(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = INSTANT.exec(value);
  if (!m) return false;
  // The day must exist (no 2026-02-30), judged as validator.js judges it.
  const day = new Date(`${m[1]}-${m[2]}-${m[3]}`);
  return day.getUTCFullYear() === Number(m[1]) && day.getUTCMonth() + 1 === Number(m[2]) && day.getUTCDate() === Number(m[3]);
}

/**
 * Whether `envelope` certainly meets EventEnvelopeSchema. False means "not certain": the caller
 * asks the schema.
 */
export function conformsToEnvelope(envelope: unknown): boolean {
  if (!isPlainObject(envelope)) return false;
  const e = envelope;
  if (typeof e.eventId !== 'string' || !UUID.test(e.eventId)) return false;
  if (!isShortText(e.type) || !isShortText(e.ticketId)) return false;
  if (typeof e.version !== 'number' || !Number.isInteger(e.version) || e.version < 1) return false;
  if (!isRealInstant(e.occurredAt)) return false;
  if (!PRODUCERS.has(e.producer)) return false;
  if (typeof e.correlationId !== 'string' || !UUID.test(e.correlationId)) return false;
  if (e.causationId !== null && e.causationId !== undefined && (typeof e.causationId !== 'string' || !UUID.test(e.causationId))) return false;
  if (!isPlainObject(e.payload)) return false;
  const actor = e.actor;
  if (!isPlainObject(actor) || !isShortText(actor.id) || !ACTOR_ROLES.has(actor.role)) return false;
  const department = actor.departmentId;
  return department === undefined || department === null || (typeof department === 'string' && department.length <= 100);
}
