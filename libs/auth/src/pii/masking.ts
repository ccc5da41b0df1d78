/**
 * Masks for showing personal data (个人信息脱敏) on screens and in logs: enough is left for a
 * person to recognise the number they dialled or the citizen they spoke to, not to reuse it.
 * Every function takes code points, not UTF-16 units, and returns '' for no value.
 */

const MOBILE = /^(\+?86[- ]?)?(1\d{2})(\d{4})(\d{4})$/;
/**
 * 区号 + 号码, e.g. 023-67700003: the area code says only which city. Codes starting 01/02 have
 * three digits (010 Beijing, 023 Chongqing), the others four, so the split works without a dash.
 */
const LANDLINE = /^(0[12]\d|0[3-9]\d{2})([- ]?)(\d{7,8})$/;

/** `13812345678` → `138****5678`; `023-67700003` → `023-****0003`; other values keep their last 4 (2 if short). */
export function maskPhone(phone: string | null | undefined): string {
  const value = (phone ?? '').trim();
  const mobile = MOBILE.exec(value);
  if (mobile) return `${mobile[1] ?? ''}${mobile[2]}****${mobile[4]}`;
  const landline = LANDLINE.exec(value);
  if (landline) {
    const [, area, separator, local] = landline;
    return `${area}${separator}${stars(local.length - 4)}${local.slice(-4)}`;
  }
  return keepLast(value, Array.from(value).length < 7 ? 2 : 4);
}

/** `500103199001011234` → `500103********1234`: region kept, birth date hidden. */
export function maskIdNumber(id: string | null | undefined): string {
  const value = (id ?? '').trim();
  const chars = Array.from(value);
  if (chars.length >= 15) return `${chars.slice(0, 6).join('')}${stars(chars.length - 10)}${chars.slice(-4).join('')}`;
  return keepLast(value, chars.length < 7 ? 2 : 4);
}

/** `张三` → `张*`, `欧阳娜娜` → `欧***`; a one-character name becomes `*`. */
export function maskName(name: string | null | undefined): string {
  const chars = Array.from((name ?? '').trim());
  if (chars.length <= 1) return stars(chars.length);
  return chars[0] + stars(chars.length - 1);
}

function keepLast(value: string, visible: number): string {
  const chars = Array.from(value);
  const hidden = Math.max(chars.length - visible, 0);
  return stars(hidden) + chars.slice(hidden).join('');
}

function stars(count: number): string {
  return '*'.repeat(Math.max(count, 0));
}
