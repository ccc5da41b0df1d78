import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written while handling one request or event carries (never personal data). */
export interface LogFields {
  requestId?: string;
  ticketId?: string;
  ticketNumber?: string;
  eventId?: string;
  eventType?: string;
  correlationId?: string;
  consumer?: string;
}

const storage = new AsyncLocalStorage<LogFields>();

/** Runs `work` with these fields (added to the enclosing ones) on every log line it writes. */
export function withLogContext<T>(fields: LogFields, work: () => T): T {
  return storage.run({ ...storage.getStore(), ...fields }, work);
}

/** Adds fields to the current context (e.g. the ticket number once it is known). */
export function addLogContext(fields: LogFields): void {
  const store = storage.getStore();
  if (store) Object.assign(store, fields);
}

export function currentLogContext(): LogFields {
  return storage.getStore() ?? {};
}
