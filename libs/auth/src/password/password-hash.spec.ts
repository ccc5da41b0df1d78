import { scryptSync } from 'node:crypto';
import { hashPassword, needsRehash, verifyPassword } from './password-hash';

/** A stored value made by hand with chosen parameters, to check the reader independently of the writer. */
function storedWith(plain: string, logN: number, r: number, p: number, salt = Buffer.alloc(16, 7), keyBytes = 32): string {
  const N = 2 ** logN;
  const key = scryptSync(plain, salt, keyBytes, { N, r, p, maxmem: 256 * N * r });
  return `scrypt$${logN}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

describe('password hashing (scrypt)', () => {
  it('stores scrypt$15$8$1$<16-byte salt>$<32-byte key> with a fresh salt each time', async () => {
    const a = await hashPassword('Demo@12333');
    const b = await hashPassword('Demo@12333');
    const [name, logN, r, p, salt, key] = a.split('$');
    expect([name, logN, r, p]).toEqual(['scrypt', '15', '8', '1']);
    expect(Buffer.from(salt, 'base64')).toHaveLength(16);
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(b).not.toBe(a);
    // The key is plain scrypt of the password with the stored salt: other tools can check it.
    const expected = scryptSync('Demo@12333', Buffer.from(salt, 'base64'), 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    expect(key).toBe(expected.toString('base64'));
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('Demo@12333');
    await expect(verifyPassword('Demo@12333', stored)).resolves.toBe(true);
    await expect(verifyPassword('demo@12333', stored)).resolves.toBe(false);
    await expect(verifyPassword('Demo@12333 ', stored)).resolves.toBe(false);
    await expect(verifyPassword('', stored)).resolves.toBe(false);
  });

  it('reads older parameters from the stored value', async () => {
    const weak = storedWith('旧密码Old#1', 10, 8, 1);
    await expect(verifyPassword('旧密码Old#1', weak)).resolves.toBe(true);
    await expect(verifyPassword('旧密码Old#2', weak)).resolves.toBe(false);
  });

  it('treats canonically equivalent Unicode forms as the same password', async () => {
    const stored = await hashPassword('Caf\u00e9-Pass-2026');
    await expect(verifyPassword('Cafe\u0301-Pass-2026', stored)).resolves.toBe(true);
  });

  it('answers false, never throws, for malformed stored values and bad input', async () => {
    const good = await hashPassword('Demo@12333');
    const [, , , , salt, key] = good.split('$');
    const malformed = [
      '',
      'plain-text-password',
      'bcrypt$2b$10$abc',
      `scrypt$15$8$1$${salt}`,
      `scrypt$15$8$1$${salt}$${key}$extra`,
      `scrypt$x$8$1$${salt}$${key}`,
      `scrypt$015$8$1$${salt}$${key}`,
      `scrypt$40$8$1$${salt}$${key}`, // would need terabytes: refused before deriving
      `scrypt$15$8$1$not base64!$${key}`,
      `scrypt$15$8$1$${salt}$`,
      `scrypt$15$8$1$AAAA$${key}`, // 3-byte salt
      `scrypt$15$8$1$${salt}$${key.slice(0, -1)}`,
    ];
    for (const stored of malformed) {
      await expect(verifyPassword('Demo@12333', stored)).resolves.toBe(false);
    }
    await expect(verifyPassword(undefined as unknown as string, good)).resolves.toBe(false);
    await expect(verifyPassword('Demo@12333', null as unknown as string)).resolves.toBe(false);
  });

  it('asks for a rehash when the stored parameters are below the current ones', async () => {
    expect(needsRehash(await hashPassword('Demo@12333'))).toBe(false);
    expect(needsRehash(storedWith('x', 14, 8, 1))).toBe(true);
    expect(needsRehash(storedWith('x', 10, 8, 1))).toBe(true);
    expect(needsRehash(storedWith('x', 15, 4, 1))).toBe(true);
    expect(needsRehash(storedWith('x', 15, 8, 1, Buffer.alloc(16, 1), 16))).toBe(true);
    expect(needsRehash(storedWith('x', 16, 8, 1))).toBe(false);
    expect(needsRehash('not a hash')).toBe(true);
  });
});
