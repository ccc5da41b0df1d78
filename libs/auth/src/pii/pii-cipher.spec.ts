import { createDecipheriv, randomBytes } from 'node:crypto';
import { PiiCipher, PiiCipherError } from './pii-cipher';

const K1 = randomBytes(32);
const K2 = randomBytes(32);
const ring = (...entries: [string, Buffer][]) => entries.map(([v, k]) => `${v}:${k.toString('base64')}`).join(',');

describe('PiiCipher (AES-256-GCM with a keyring)', () => {
  const cipher = new PiiCipher(ring(['v1', K1]));

  it('round-trips, including Chinese text and the empty string', () => {
    for (const plain of ['13812345678', '张三 重庆市渝中区解放碑', '']) {
      expect(cipher.decrypt(cipher.encrypt(plain))).toBe(plain);
    }
  });

  it('writes <version>.<iv>.<tag>.<ciphertext> with a fresh 12-byte IV, and is plain AES-256-GCM', () => {
    const a = cipher.encrypt('13812345678');
    const b = cipher.encrypt('13812345678');
    expect(a).not.toBe(b);
    const [version, iv, tag, ciphertext] = a.split('.');
    expect(version).toBe('v1');
    expect(Buffer.from(iv, 'base64url')).toHaveLength(12);
    expect(Buffer.from(tag, 'base64url')).toHaveLength(16);
    expect(ciphertext).toMatch(/^[A-Za-z0-9_-]+$/);
    // Decrypt with node:crypto directly: the format is what it says (version as associated data).
    const d = createDecipheriv('aes-256-gcm', K1, Buffer.from(iv, 'base64url'));
    d.setAAD(Buffer.from('v1'));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    expect(Buffer.concat([d.update(Buffer.from(ciphertext, 'base64url')), d.final()]).toString()).toBe('13812345678');
  });

  it('reads every version of a rotated ring and writes with the last one', () => {
    const old = cipher.encrypt('500103199001011234');
    const rotated = new PiiCipher(ring(['v1', K1], ['v2', K2]));
    expect(rotated.currentVersion).toBe('v2');
    expect(rotated.decrypt(old)).toBe('500103199001011234');
    expect(rotated.needsReencrypt(old)).toBe(true);
    const fresh = rotated.encrypt('500103199001011234');
    expect(fresh.startsWith('v2.')).toBe(true);
    expect(rotated.needsReencrypt(fresh)).toBe(false);
    expect(rotated.decrypt(fresh)).toBe('500103199001011234');
    expect(() => cipher.decrypt(fresh)).toThrow("uses key version 'v2', which is not in the keyring");
  });

  it('refuses tampered ciphertext, tag, IV or a relabelled version', () => {
    const stored = cipher.encrypt('13812345678');
    const [v, iv, tag, ct] = stored.split('.');
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, 'base64url');
      bytes[0] ^= 1;
      return bytes.toString('base64url');
    };
    expect(() => cipher.decrypt([v, iv, tag, flip(ct)].join('.'))).toThrow(/failed authentication/);
    expect(() => cipher.decrypt([v, iv, flip(tag), ct].join('.'))).toThrow(/failed authentication/);
    expect(() => cipher.decrypt([v, flip(iv), tag, ct].join('.'))).toThrow(/failed authentication/);
    // The same key under two labels: the label is authenticated, so moving a value fails.
    const twoLabels = new PiiCipher(ring(['v1', K1], ['v1b', K1]));
    expect(() => twoLabels.decrypt(['v1b', iv, tag, ct].join('.'))).toThrow(/failed authentication/);
    // A key of the right shape but the wrong bytes.
    expect(() => new PiiCipher(ring(['v1', K2])).decrypt(stored)).toThrow(PiiCipherError);
  });

  it('refuses malformed stored values with a clear error', () => {
    for (const bad of ['', 'v1', 'v1.a.b', 'v1.a.b.c.d', 'v1.!!.b.c', 'v1.AAAA.AAAA.AAAA']) {
      expect(() => cipher.decrypt(bad)).toThrow(/malformed/);
    }
    expect(cipher.needsReencrypt('garbage')).toBe(true);
    expect(cipher.needsReencrypt(undefined as unknown as string)).toBe(true);
  });

  it('refuses a bad keyring and names the entry', () => {
    expect(() => PiiCipher.parseKeyring('')).toThrow(/empty/);
    expect(() => PiiCipher.parseKeyring('   ')).toThrow(/empty/);
    expect(() => PiiCipher.parseKeyring(ring(['v1', randomBytes(16)]))).toThrow("entry 1 (version 'v1') must be base64 of exactly 32 bytes, got 16");
    expect(() => PiiCipher.parseKeyring('v1:not-base64!')).toThrow(/not base64/);
    expect(() => PiiCipher.parseKeyring(ring(['v1', K1], ['v1', K2]))).toThrow("entry 2 repeats version 'v1'");
    expect(() => PiiCipher.parseKeyring(K1.toString('base64'))).toThrow(/entry 1 is not/);
    expect(() => PiiCipher.parseKeyring(`v.1:${K1.toString('base64')}`)).toThrow(/invalid version/);
    expect(() => PiiCipher.parseKeyring(`${ring(['v1', K1])},`)).toThrow(/entry 2/);
    expect(PiiCipher.parseKeyring(` ${ring(['v1', K1])} , ${ring(['v2', K2])} `).map((k) => k.version)).toEqual(['v1', 'v2']);
  });

  it('never shows key material in errors or when printed', () => {
    const key = randomBytes(31).toString('base64');
    expect(() => new PiiCipher(`v1:${key}`)).toThrow(expect.objectContaining({ message: expect.not.stringContaining(key) }));
    expect(JSON.stringify(cipher)).not.toContain(K1.toString('base64'));
  });
});
