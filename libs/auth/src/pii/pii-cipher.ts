import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** A key of the ring: its version label travels with every value it encrypted. */
export interface PiiKey {
  version: string;
  key: Buffer;
}

/** Any failure to read a keyring or a stored value; messages never contain key material. */
export class PiiCipherError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PiiCipherError';
  }
}

const KEY_BYTES = 32;
const IV_BYTES = 12; // the size GCM is defined for; a fresh random one per value
const TAG_BYTES = 16;
const VERSION = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Encrypts personal data (caller phone, ID number — 个人信息) with AES-256-GCM so a database dump
 * alone reveals nothing. Keys rotate: a new key is appended to the ring and becomes current,
 * old values stay readable until re-encrypted.
 */
export class PiiCipher {
  readonly #keys: ReadonlyMap<string, Buffer>;
  readonly #current: string;

  /** @param keyring `v1:<base64 of 32 bytes>,v2:<base64 of 32 bytes>`; the last entry is current. */
  constructor(keyring: string) {
    const keys = PiiCipher.parseKeyring(keyring);
    this.#keys = new Map(keys.map((k) => [k.version, k.key]));
    this.#current = keys[keys.length - 1].version;
  }

  get currentVersion(): string {
    return this.#current;
  }

  static parseKeyring(text: string): PiiKey[] {
    if (typeof text !== 'string' || text.trim() === '') {
      throw new PiiCipherError('PII keyring is empty: expected "v1:<base64 of 32 bytes>[,v2:…]"');
    }
    const keys: PiiKey[] = [];
    text.split(',').forEach((raw, index) => {
      const entry = raw.trim();
      const where = `PII keyring entry ${index + 1}`;
      const colon = entry.indexOf(':');
      if (colon < 0) throw new PiiCipherError(`${where} is not "<version>:<base64 key>"`);
      const version = entry.slice(0, colon);
      const encoded = entry.slice(colon + 1);
      if (!VERSION.test(version)) {
        throw new PiiCipherError(`${where} has an invalid version: use 1–32 letters, digits, "-" or "_"`);
      }
      if (keys.some((k) => k.version === version)) {
        throw new PiiCipherError(`${where} repeats version '${version}'`);
      }
      const key = BASE64.test(encoded) ? Buffer.from(encoded, 'base64') : null;
      if (!key || key.length !== KEY_BYTES) {
        throw new PiiCipherError(
          `${where} (version '${version}') must be base64 of exactly ${KEY_BYTES} bytes` +
            (key ? `, got ${key.length}` : ', got something that is not base64'),
        );
      }
      keys.push({ version, key });
    });
    return keys;
  }

  /** `<version>.<iv>.<tag>.<ciphertext>`, base64url; the version is authenticated too. */
  encrypt(plain: string): string {
    if (typeof plain !== 'string') throw new PiiCipherError('only strings can be encrypted');
    const version = this.#current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#keys.get(version) as Buffer, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(version, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const encoded = [iv, cipher.getAuthTag(), ciphertext].map((bytes) => bytes.toString('base64url'));
    return [version, ...encoded].join('.');
  }

  decrypt(stored: string): string {
    const parts = typeof stored === 'string' ? stored.split('.') : [];
    if (parts.length !== 4 || !VERSION.test(parts[0]) || !parts.slice(1).every((p) => BASE64URL.test(p))) {
      throw new PiiCipherError('encrypted PII value is malformed: expected "<version>.<iv>.<tag>.<ciphertext>"');
    }
    const [version, ivText, tagText, ciphertextText] = parts;
    const key = this.#keys.get(version);
    if (!key) {
      throw new PiiCipherError(`encrypted PII value uses key version '${version}', which is not in the keyring`);
    }
    const iv = Buffer.from(ivText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw new PiiCipherError(`encrypted PII value is malformed: needs a ${IV_BYTES}-byte IV and a ${TAG_BYTES}-byte tag`);
    }
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(version, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(Buffer.from(ciphertextText, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new PiiCipherError(`encrypted PII value failed authentication with key version '${version}' (tampered or wrong key)`);
    }
  }

  /** True when the value was not written with the current key (or cannot be read): re-encrypt it. */
  needsReencrypt(stored: string): boolean {
    const parts = typeof stored === 'string' ? stored.split('.') : [];
    return parts.length !== 4 || parts[0] !== this.#current;
  }
}
