import { randomBytes, scrypt, ScryptOptions, timingSafeEqual } from 'node:crypto';

/**
 * scrypt parameters for new hashes: N = 2^15, r = 8, p = 1 costs 32 MiB and tens of
 * milliseconds per guess (the OWASP baseline), which is what makes a stolen table expensive.
 */
const CURRENT = { logN: 15, r: 8, p: 1, saltBytes: 16, keyBytes: 32 } as const;

/**
 * Bounds for parameters read back from storage: a corrupted or hostile row must not make one
 * login allocate gigabytes.
 */
const LIMITS = { logN: [10, 20], r: [1, 32], p: [1, 16], saltBytes: [16, 64], keyBytes: [16, 64] } as const;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

interface StoredHash {
  logN: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

/** `scrypt$15$8$1$<salt base64>$<key base64>` — the parameters travel with the hash so they can be raised later. */
export async function hashPassword(plain: string): Promise<string> {
  if (typeof plain !== 'string') throw new TypeError('password must be a string');
  const salt = randomBytes(CURRENT.saltBytes);
  const key = await derive(plain, salt, CURRENT.logN, CURRENT.r, CURRENT.p, CURRENT.keyBytes);
  return ['scrypt', CURRENT.logN, CURRENT.r, CURRENT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True only for the right password; false for a wrong one, a malformed stored value or bad input. Never throws. */
export async function verifyPassword(plain: string, stored: string): Promise<boolean> {
  if (typeof plain !== 'string') return false;
  const parsed = parseStored(stored);
  if (!parsed) return false;
  try {
    const key = await derive(plain, parsed.salt, parsed.logN, parsed.r, parsed.p, parsed.key.length);
    return timingSafeEqual(key, parsed.key);
  } catch {
    return false;
  }
}

/** True when the stored hash is weaker than what hashPassword makes now: rehash it at the next login. */
export function needsRehash(stored: string): boolean {
  const parsed = parseStored(stored);
  if (!parsed) return true;
  return (
    parsed.logN < CURRENT.logN ||
    parsed.r < CURRENT.r ||
    parsed.p < CURRENT.p ||
    parsed.salt.length < CURRENT.saltBytes ||
    parsed.key.length < CURRENT.keyBytes
  );
}

function parseStored(stored: unknown): StoredHash | null {
  if (typeof stored !== 'string') return null;
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [logN, r, p] = parts.slice(1, 4).map((n) => (/^[1-9]\d{0,2}$/.test(n) ? Number(n) : NaN));
  const [saltText, keyText] = parts.slice(4);
  if (!BASE64.test(saltText) || !BASE64.test(keyText)) return null;
  const salt = Buffer.from(saltText, 'base64');
  const key = Buffer.from(keyText, 'base64');
  const inRange = (value: number, [min, max]: readonly [number, number]) => value >= min && value <= max;
  if (
    !inRange(logN, LIMITS.logN) ||
    !inRange(r, LIMITS.r) ||
    !inRange(p, LIMITS.p) ||
    !inRange(salt.length, LIMITS.saltBytes) ||
    !inRange(key.length, LIMITS.keyBytes)
  ) {
    return null;
  }
  return { logN, r, p, salt, key };
}

function derive(plain: string, salt: Buffer, logN: number, r: number, p: number, keyBytes: number): Promise<Buffer> {
  const N = 2 ** logN;
  // scrypt needs 128·N·r bytes (plus 128·r·p); Node's default cap of 32 MiB is exactly N=2^15, r=8, so raise it.
  const options: ScryptOptions = { N, r, p, maxmem: 128 * N * r + 128 * r * p + 16 * 1024 * 1024 };
  // NFC: the same password typed through different input methods must hash the same.
  const normalized = plain.normalize('NFC');
  return new Promise((resolve, reject) => {
    scrypt(normalized, salt, keyBytes, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}
