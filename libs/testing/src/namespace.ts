import { randomBytes } from 'node:crypto';

/** A Kafka namespace (topic and group prefix) that no other run shares. */
export function uniqueKafkaNamespace(label: string): string {
  return `test.${label}.${Date.now().toString(36)}${randomBytes(3).toString('hex')}.`;
}
