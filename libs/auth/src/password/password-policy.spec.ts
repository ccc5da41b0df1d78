import { passwordProblems } from './password-policy';

describe('password policy for new passwords', () => {
  it.each([
    ['Demo@12333', 'admin'],
    ['correcthorse9!', 'operator'], // lower, digit, symbol
    ['CORRECTHORSE9!', undefined],
    ['Correct-Horse', 'dispatcher'], // lower, upper, symbol
    ['人社热线Hotline2026', 'handler.500103'], // Chinese characters count as symbols
  ])('accepts %s', (plain, username) => {
    expect(passwordProblems(plain, username)).toEqual([]);
  });

  it('requires at least 10 characters, counting characters rather than bytes', () => {
    expect(passwordProblems('Demo@1233', 'admin')).toEqual(['password: must be at least 10 characters long']);
    expect(passwordProblems('热线热线热线热线Ab1')).toEqual([]);
  });

  it('requires three of the four character classes', () => {
    expect(passwordProblems('alllowercase')).toEqual([
      'password: must contain at least three of: lower-case letter, upper-case letter, digit, symbol (has 1)',
    ]);
    expect(passwordProblems('lowerandUPPER')).toHaveLength(1);
    expect(passwordProblems('1234567890')).toHaveLength(1);
    expect(passwordProblems('lower12345')).toHaveLength(1);
  });

  it('refuses a password that contains the username, in any case', () => {
    expect(passwordProblems('Operator#2026', 'operator')).toEqual(['password: must not contain the username']);
    expect(passwordProblems('xxHANDLER.500103!', 'handler.500103')).toEqual(['password: must not contain the username']);
    // Two-letter usernames are not checked: they would forbid too much.
    expect(passwordProblems('Lizhi#2026x', 'li')).toEqual([]);
  });

  it('lists every problem, under the field name given', () => {
    expect(passwordProblems('admin', 'admin', 'newPassword')).toEqual([
      'newPassword: must be at least 10 characters long',
      'newPassword: must contain at least three of: lower-case letter, upper-case letter, digit, symbol (has 1)',
      'newPassword: must not contain the username',
    ]);
    expect(passwordProblems(undefined as unknown as string)).toEqual(['password: must be a string']);
  });
});
