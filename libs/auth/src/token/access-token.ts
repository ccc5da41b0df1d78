import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { Role, ROLES } from '@hotline/contracts';

/** What an access token says about its bearer; every service trusts it after verifying it. */
export interface AccessClaims {
  /** The user's id. */
  sub: string;
  username: string;
  role: Role;
  /** 承办单位 — a handler's department. */
  departmentId?: string;
  /** A district supervisor's region (区县). */
  regionCode?: string;
  /** A channel account's channel (直报点, 网络问政 …). */
  channel?: string;
  /** Issued at, seconds since the epoch. */
  iat: number;
  /** Expires at, seconds since the epoch. */
  exp: number;
  iss: 'hotline';
  /** Unique per token, so a single token can be revoked or traced in logs. */
  jti: string;
}

export type InvalidTokenReason = 'malformed' | 'wrong-algorithm' | 'bad-signature' | 'expired' | 'invalid-claims';

/** Any token we refuse; `reason` lets the caller answer in words without leaking details. */
export class InvalidTokenError extends Error {
  constructor(
    readonly reason: InvalidTokenReason,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

export const TOKEN_ISSUER = 'hotline';

/** A token issued this far in the future still counts: the issuing host's clock may run ahead. */
const IAT_LEEWAY_SECONDS = 30;

/** HS256 needs a key at least as long as its hash (RFC 7518 §3.2); shorter is a configuration bug. */
const MIN_SECRET_LENGTH = 32;

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
const SEGMENT = /^[A-Za-z0-9_-]+$/;

export function signAccessToken(
  claims: Omit<AccessClaims, 'iat' | 'exp' | 'iss' | 'jti'>,
  secret: string,
  ttlSeconds: number,
  now = Date.now(),
): string {
  assertUsableSecret(secret);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new RangeError(`ttlSeconds must be a positive integer, got ${ttlSeconds}`);
  }
  const iat = Math.floor(now / 1000);
  const full: AccessClaims = { ...claims, iat, exp: iat + ttlSeconds, iss: TOKEN_ISSUER, jti: randomUUID() };
  // Refuse to issue what verifyAccessToken would refuse: a bad token should fail at login, not later.
  const problem = claimsProblem(full);
  if (problem) throw new InvalidTokenError('invalid-claims', `cannot sign: ${problem}`);
  const payload = base64url(JSON.stringify(full));
  return `${HEADER}.${payload}.${signature(`${HEADER}.${payload}`, secret)}`;
}

/**
 * Verifies a token against the current secret and, during a rotation, the previous ones.
 * Only HS256 is accepted: `alg` comes from the attacker, so it is checked, never obeyed.
 */
export function verifyAccessToken(token: string, secrets: string[], now = Date.now()): AccessClaims {
  const usable = secrets.filter((s) => s !== undefined && s !== '');
  if (!usable.length) throw new Error('verifyAccessToken needs at least one secret');
  usable.forEach(assertUsableSecret);

  const parts = typeof token === 'string' ? token.split('.') : [];
  // The signature may be empty here so that the classic `alg: none` token is named for what it is.
  if (parts.length !== 3 || !SEGMENT.test(parts[0]) || !SEGMENT.test(parts[1]) || !/^[A-Za-z0-9_-]*$/.test(parts[2])) {
    throw new InvalidTokenError('malformed', 'token is not three base64url segments');
  }
  const [headerPart, payloadPart, signaturePart] = parts;

  const header = decodeJsonObject(headerPart);
  if (!header) throw new InvalidTokenError('malformed', 'token header is not a JSON object');
  if (header.alg !== 'HS256' || (header.typ !== undefined && header.typ !== 'JWT') || header.crit !== undefined) {
    throw new InvalidTokenError('wrong-algorithm', `token algorithm ${JSON.stringify(header.alg)} is not accepted`);
  }

  const given = Buffer.from(signaturePart, 'base64url');
  const signed = `${headerPart}.${payloadPart}`;
  const matches = usable.some((secret) => {
    const expected = Buffer.from(signature(signed, secret), 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  // A non-canonical encoding of the right bytes would make two strings of one token; refuse it.
  if (!matches || given.toString('base64url') !== signaturePart) {
    throw new InvalidTokenError('bad-signature', 'token signature does not match');
  }

  const claims = decodeJsonObject(payloadPart);
  if (!claims) throw new InvalidTokenError('malformed', 'token payload is not a JSON object');
  const problem = claimsProblem(claims);
  if (problem) throw new InvalidTokenError('invalid-claims', problem);
  const valid = claims as unknown as AccessClaims;

  const nowSeconds = Math.floor(now / 1000);
  if (nowSeconds >= valid.exp) throw new InvalidTokenError('expired', 'token has expired');
  if (valid.iat > nowSeconds + IAT_LEEWAY_SECONDS) {
    throw new InvalidTokenError('invalid-claims', 'token is issued in the future');
  }
  return pickClaims(valid);
}

/** The first thing wrong with the claims, or null. */
function claimsProblem(claims: object): string | null {
  const c = claims as Record<string, unknown>;
  if (!isNonEmptyString(c.sub)) return 'sub must be a non-empty string';
  if (!isNonEmptyString(c.username)) return 'username must be a non-empty string';
  if (!(ROLES as readonly unknown[]).includes(c.role)) return `role ${JSON.stringify(c.role)} is unknown`;
  for (const key of ['departmentId', 'regionCode', 'channel'] as const) {
    if (c[key] !== undefined && !isNonEmptyString(c[key])) return `${key} must be a non-empty string when present`;
  }
  if (c.iss !== TOKEN_ISSUER) return `iss must be '${TOKEN_ISSUER}'`;
  if (!isNonEmptyString(c.jti)) return 'jti must be a non-empty string';
  if (!Number.isSafeInteger(c.iat) || !Number.isSafeInteger(c.exp)) return 'iat and exp must be integers';
  if ((c.exp as number) <= (c.iat as number)) return 'exp must be after iat';
  return null;
}

/** Only the known claims, so nothing smuggled into the payload reaches the caller. */
function pickClaims(c: AccessClaims): AccessClaims {
  const out: AccessClaims = { sub: c.sub, username: c.username, role: c.role, iat: c.iat, exp: c.exp, iss: c.iss, jti: c.jti };
  if (c.departmentId !== undefined) out.departmentId = c.departmentId;
  if (c.regionCode !== undefined) out.regionCode = c.regionCode;
  if (c.channel !== undefined) out.channel = c.channel;
  return out;
}

function decodeJsonObject(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function signature(signed: string, secret: string): string {
  return createHmac('sha256', secret).update(signed, 'ascii').digest('base64url');
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function assertUsableSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`a JWT secret must be at least ${MIN_SECRET_LENGTH} characters long`);
  }
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
