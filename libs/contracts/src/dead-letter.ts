/**
 * What a consumer writes to its dead-letter topic when a message cannot be applied:
 * the error, where the message came from, and the message itself byte for byte
 * (base64 when it was not valid UTF-8), so it can be inspected and replayed after a fix.
 */
export interface DeadLetter {
  consumer: string;
  error: { kind: DeadLetterErrorKind; message: string; details?: string[] };
  attempts: number;
  failedAt: string;
  origin: { topic: string; partition: number; offset: string; timestamp: string };
  key: string | null;
  value: string | null;
  valueEncoding: 'utf8' | 'base64';
  headers: Record<string, string>;
}

export type DeadLetterErrorKind =
  | 'malformed-json'
  | 'invalid-envelope'
  | 'unknown-type'
  | 'unsupported-version'
  | 'invalid-payload'
  | 'handler-failed';
