/** Length matters more than anything else a policy can ask for. */
export const MIN_PASSWORD_LENGTH = 10;

const CLASSES: { name: string; test: (ch: string) => boolean }[] = [
  { name: 'lower-case letter', test: (ch) => /\p{Ll}/u.test(ch) },
  { name: 'upper-case letter', test: (ch) => /\p{Lu}/u.test(ch) },
  { name: 'digit', test: (ch) => /\p{Nd}/u.test(ch) },
  // Anything else counts as a symbol, Chinese characters included: they widen the alphabet too.
  { name: 'symbol', test: (ch) => !/[\p{Ll}\p{Lu}\p{Nd}]/u.test(ch) },
];

/** A username this short would forbid too many ordinary passwords without protecting anything. */
const MIN_USERNAME_TO_CHECK = 3;

/**
 * What is wrong with a new password, as `"<field>: <what is wrong>"` lines ready for an ApiError;
 * empty when it is acceptable. Applies to passwords being set, not to logins.
 */
export function passwordProblems(plain: string, username?: string, field = 'password'): string[] {
  if (typeof plain !== 'string') return [`${field}: must be a string`];
  const chars = Array.from(plain);
  const problems: string[] = [];
  if (chars.length < MIN_PASSWORD_LENGTH) {
    problems.push(`${field}: must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  }
  const present = CLASSES.filter((c) => chars.some(c.test));
  if (present.length < 3) {
    problems.push(
      `${field}: must contain at least three of: lower-case letter, upper-case letter, digit, symbol (has ${present.length})`,
    );
  }
  const name = username?.trim().toLowerCase() ?? '';
  if (name.length >= MIN_USERNAME_TO_CHECK && plain.toLowerCase().includes(name)) {
    problems.push(`${field}: must not contain the username`);
  }
  return problems;
}
