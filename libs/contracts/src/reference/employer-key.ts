/**
 * Employer names as callers say them vary ("重庆某某建筑劳务有限公司", "某某建筑劳务公司"):
 * compare without spaces, punctuation, the city prefix and the company-form suffix.
 * Intake links repeats by it; metrics finds wage-arrears hotspots by it.
 */
export function employerKey(name: string | null | undefined): string | null {
  if (!name) return null;
  const key = name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '')
    .replace(/^(重庆市|重庆)/, '')
    .replace(/(股份有限公司|有限责任公司|有限公司|集团公司|公司|厂)$/, '');
  return key.length >= 2 ? key : null;
}
