import { createHmac } from 'node:crypto';
import { InvalidTokenError, signAccessToken, verifyAccessToken } from './access-token';

const SECRET = 'current-secret-'.padEnd(40, 'c');
const PREVIOUS = 'previous-secret-'.padEnd(40, 'p');
const NOW = Date.UTC(2026, 10, 22, 2, 0, 0);
const CLAIMS = { sub: 'u-1', username: 'handler.500103', role: 'handler' as const, departmentId: 'dep-500103' };

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const hmac = (signed: string, secret: string) => createHmac('sha256', secret).update(signed).digest('base64url');

/** Builds a token by hand, so the tests do not trust the code under test to build bad ones. */
function forge(header: unknown, payload: unknown, secret = SECRET): string {
  const signed = `${b64(header)}.${b64(payload)}`;
  return `${signed}.${hmac(signed, secret)}`;
}

function payloadOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
}

function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof InvalidTokenError) return err.reason;
    throw err;
  }
  throw new Error('expected an InvalidTokenError');
}

describe('access tokens (HS256)', () => {
  it('round-trips the claims and adds iat, exp, iss and a random jti', () => {
    const token = signAccessToken(CLAIMS, SECRET, 900, NOW);
    const claims = verifyAccessToken(token, [SECRET], NOW + 1000);
    expect(claims).toEqual({ ...CLAIMS, iat: NOW / 1000, exp: NOW / 1000 + 900, iss: 'hotline', jti: expect.any(String) });
    expect(signAccessToken(CLAIMS, SECRET, 900, NOW)).not.toBe(token);
    expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
  });

  it('is a standard JWT: the signature is HMAC-SHA256 of header.payload', () => {
    const token = signAccessToken(CLAIMS, SECRET, 900, NOW);
    const [h, p, s] = token.split('.');
    expect(s).toBe(hmac(`${h}.${p}`, SECRET));
  });

  it('refuses a tampered payload', () => {
    const token = signAccessToken(CLAIMS, SECRET, 900, NOW);
    const [h, , s] = token.split('.');
    const promoted = b64({ ...payloadOf(token), role: 'admin' });
    expect(reasonOf(() => verifyAccessToken(`${h}.${promoted}.${s}`, [SECRET], NOW))).toBe('bad-signature');
  });

  it('refuses a tampered signature, a wrong secret and a non-canonical signature encoding', () => {
    const token = signAccessToken(CLAIMS, SECRET, 900, NOW);
    const [h, p, s] = token.split('.');
    const flipped = s.slice(0, 10) + (s[10] === 'A' ? 'B' : 'A') + s.slice(11);
    expect(reasonOf(() => verifyAccessToken(`${h}.${p}.${flipped}`, [SECRET], NOW))).toBe('bad-signature');
    expect(reasonOf(() => verifyAccessToken(`${h}.${p}.${s.slice(0, -2)}`, [SECRET], NOW))).toBe('bad-signature');
    expect(reasonOf(() => verifyAccessToken(token, ['other-secret'.padEnd(40, 'o')], NOW))).toBe('bad-signature');
    // 32 bytes take 43 characters; the last one carries 4 spare bits that must be zero.
    const last = s[s.length - 1];
    const sameBytes = s.slice(0, -1) + String.fromCharCode(last.charCodeAt(0) + 1);
    expect(Buffer.from(sameBytes, 'base64url').equals(Buffer.from(s, 'base64url'))).toBe(true);
    expect(reasonOf(() => verifyAccessToken(`${h}.${p}.${sameBytes}`, [SECRET], NOW))).toBe('bad-signature');
  });

  it('refuses alg none, with or without a signature, and any other algorithm', () => {
    const payload = payloadOf(signAccessToken(CLAIMS, SECRET, 900, NOW));
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
    expect(reasonOf(() => verifyAccessToken(unsigned, [SECRET], NOW))).toBe('wrong-algorithm');
    const emptySignature = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}.`;
    expect(reasonOf(() => verifyAccessToken(emptySignature, [SECRET], NOW))).toBe('bad-signature');
    expect(reasonOf(() => verifyAccessToken(forge({ alg: 'none' }, payload), [SECRET], NOW))).toBe('wrong-algorithm');
    expect(reasonOf(() => verifyAccessToken(forge({ alg: 'HS512' }, payload), [SECRET], NOW))).toBe('wrong-algorithm');
    expect(reasonOf(() => verifyAccessToken(forge({ alg: 'hs256' }, payload), [SECRET], NOW))).toBe('wrong-algorithm');
    expect(reasonOf(() => verifyAccessToken(forge({ typ: 'JWT' }, payload), [SECRET], NOW))).toBe('wrong-algorithm');
    expect(verifyAccessToken(forge({ alg: 'HS256' }, payload), [SECRET], NOW).sub).toBe('u-1');
  });

  it('refuses malformed tokens', () => {
    for (const bad of ['', 'abc', 'a.b', 'a.b.c.d', 'a b.c.d', '..', `${b64([1])}.${b64({})}.x`, `bm90anNvbg.${b64({})}.x`]) {
      expect(reasonOf(() => verifyAccessToken(bad, [SECRET], NOW))).toBe('malformed');
    }
    expect(reasonOf(() => verifyAccessToken(undefined as unknown as string, [SECRET], NOW))).toBe('malformed');
  });

  it('refuses an expired token, with no leeway on exp', () => {
    const token = signAccessToken(CLAIMS, SECRET, 60, NOW);
    expect(verifyAccessToken(token, [SECRET], NOW + 59_999).sub).toBe('u-1');
    expect(reasonOf(() => verifyAccessToken(token, [SECRET], NOW + 60_000))).toBe('expired');
  });

  it('accepts an iat up to 30 s in the future (clock skew), not more', () => {
    const token = signAccessToken(CLAIMS, SECRET, 900, NOW);
    expect(verifyAccessToken(token, [SECRET], NOW - 30_000).sub).toBe('u-1');
    expect(reasonOf(() => verifyAccessToken(token, [SECRET], NOW - 31_000))).toBe('invalid-claims');
  });

  it('accepts tokens signed with the previous secret during a rotation', () => {
    const old = signAccessToken(CLAIMS, PREVIOUS, 900, NOW);
    expect(verifyAccessToken(old, [SECRET, PREVIOUS], NOW).username).toBe('handler.500103');
    expect(reasonOf(() => verifyAccessToken(old, [SECRET], NOW))).toBe('bad-signature');
    const fresh = signAccessToken(CLAIMS, SECRET, 900, NOW);
    expect(verifyAccessToken(fresh, [SECRET, PREVIOUS], NOW).username).toBe('handler.500103');
  });

  it('refuses a wrong issuer, an unknown role, an empty sub and missing claims, even when signed', () => {
    const good = payloadOf(signAccessToken(CLAIMS, SECRET, 900, NOW));
    const variants: Record<string, unknown>[] = [
      { ...good, iss: 'someone-else' },
      { ...good, iss: undefined },
      { ...good, role: 'root' },
      { ...good, sub: '' },
      { ...good, sub: 42 },
      { ...good, username: undefined },
      { ...good, jti: undefined },
      { ...good, exp: 'tomorrow' },
      { ...good, exp: good.iat },
      { ...good, departmentId: 7 },
    ];
    for (const payload of variants) {
      expect(reasonOf(() => verifyAccessToken(forge({ alg: 'HS256', typ: 'JWT' }, payload), [SECRET], NOW))).toBe('invalid-claims');
    }
  });

  it('returns only the known claims', () => {
    const payload = { ...payloadOf(signAccessToken(CLAIMS, SECRET, 900, NOW)), admin: true };
    expect(verifyAccessToken(forge({ alg: 'HS256' }, payload), [SECRET], NOW)).not.toHaveProperty('admin');
  });

  it('refuses to sign bad claims or with a weak secret', () => {
    expect(() => signAccessToken({ ...CLAIMS, role: 'root' as never }, SECRET, 900, NOW)).toThrow(InvalidTokenError);
    expect(() => signAccessToken(CLAIMS, 'short', 900, NOW)).toThrow(/at least 32/);
    expect(() => signAccessToken(CLAIMS, SECRET, 0, NOW)).toThrow(RangeError);
    expect(() => verifyAccessToken('a.b.c', [], NOW)).toThrow(/at least one secret/);
  });
});
