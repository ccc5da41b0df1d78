import { createHmac } from 'node:crypto';

/** Digits only, without a +86/0086 prefix: one number, one hash, however it was typed. */
export function normalisePhone(phone: string): string {
  const digits = phone.replace(/[\s-]/g, '');
  return digits.replace(/^(\+86|0086)/, '');
}

/**
 * Keyed hash (HMAC-SHA256) of a phone number. Other services match repeat callers on it
 * without ever holding the number; the key keeps it from being reversed by enumeration.
 */
export function hashPhone(phone: string, key: string): string {
  return createHmac('sha256', key).update(normalisePhone(phone)).digest('hex');
}
