import { validateSync } from 'class-validator';
import { IsChineseIdNumber, isValidChineseIdNumber, normalizeChineseIdNumber } from './chinese-id-number';

/** The check digit computed here from the standard, independently of the code under test. */
function withCheckDigit(first17: string): string {
  const weights = first17.split('').map((_, i) => 2 ** (17 - i) % 11); // W_i = 2^(i-1) mod 11, i counted from the right
  const sum = first17.split('').reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
  const check = (12 - (sum % 11)) % 11; // ISO 7064 MOD 11-2: (sum + check) ≡ 1 (mod 11)
  return first17 + (check === 10 ? 'X' : String(check));
}

const NOW = new Date('2026-11-22T02:00:00Z');

describe('Chinese resident ID numbers (GB 11643-1999)', () => {
  it('computes the same check digits as the well-known examples', () => {
    expect(withCheckDigit('11010519491231002')).toBe('11010519491231002X');
    expect(withCheckDigit('44052418800101001')).toBe('440524188001010014');
  });

  it('accepts valid numbers, with upper- or lower-case X', () => {
    expect(isValidChineseIdNumber('11010519491231002X', NOW)).toBe(true);
    expect(isValidChineseIdNumber('11010519491231002x', NOW)).toBe(true);
    expect(normalizeChineseIdNumber(' 11010519491231002x ', NOW)).toBe('11010519491231002X');
    for (const first17 of ['50010319900101123', '50023520000229001', '50010219000101000', '11010120261122000']) {
      expect(isValidChineseIdNumber(withCheckDigit(first17), NOW)).toBe(true);
    }
  });

  it('refuses a wrong check digit', () => {
    const valid = withCheckDigit('50010319900101123');
    for (const digit of ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X'].filter((d) => d !== valid[17])) {
      expect(isValidChineseIdNumber(valid.slice(0, 17) + digit, NOW)).toBe(false);
    }
    // A single changed digit in the body is always caught.
    expect(isValidChineseIdNumber(`50010419900101123${valid[17]}`, NOW)).toBe(false);
  });

  it('refuses impossible, too old and future birth dates even with a right check digit', () => {
    expect(isValidChineseIdNumber(withCheckDigit('50010319990230123'), NOW)).toBe(false); // 30 Feb
    expect(isValidChineseIdNumber(withCheckDigit('50010320010229123'), NOW)).toBe(false); // 2001 not a leap year
    expect(isValidChineseIdNumber(withCheckDigit('50010319901301123'), NOW)).toBe(false); // month 13
    expect(isValidChineseIdNumber(withCheckDigit('50010319900100123'), NOW)).toBe(false); // day 0
    expect(isValidChineseIdNumber(withCheckDigit('50010318991231123'), NOW)).toBe(false); // before 1900
    expect(isValidChineseIdNumber(withCheckDigit('50010320261123123'), NOW)).toBe(false); // tomorrow in Shanghai
    expect(isValidChineseIdNumber(withCheckDigit('50010320300101123'), NOW)).toBe(false);
  });

  it('takes "today" on the Shanghai calendar', () => {
    const bornOn23rd = withCheckDigit('50010320261123123');
    expect(isValidChineseIdNumber(bornOn23rd, new Date('2026-11-22T15:59:59Z'))).toBe(false);
    expect(isValidChineseIdNumber(bornOn23rd, new Date('2026-11-22T16:00:00Z'))).toBe(true);
  });

  it('refuses the wrong shape', () => {
    for (const bad of ['', '1101051949123100', '11010519491231002XX', '1101051949123100X2', '11010519491231002Y', '110105 19491231002X', null, 11010519491231002, undefined]) {
      expect(isValidChineseIdNumber(bad, NOW)).toBe(false);
    }
  });

  it('@IsChineseIdNumber validates with a clear default message', () => {
    class Caller {
      @IsChineseIdNumber()
      idNumber: unknown;

      @IsChineseIdNumber({ message: 'custom' })
      other: unknown = '11010519491231002X';
    }
    const ok = Object.assign(new Caller(), { idNumber: '11010519491231002x' });
    expect(validateSync(ok)).toEqual([]);
    const bad = Object.assign(new Caller(), { idNumber: '110105194912310021', other: 'nope' });
    const errors = validateSync(bad);
    expect(errors.map((e) => e.constraints)).toEqual([
      { isChineseIdNumber: 'idNumber must be a valid 18-digit resident ID number (GB 11643 check digit)' },
      { isChineseIdNumber: 'custom' },
    ]);
  });
});
