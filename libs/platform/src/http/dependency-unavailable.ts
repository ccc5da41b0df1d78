/**
 * Whether an error means a server the service depends on (PostgreSQL, Redis) could not be
 * reached or went away mid-request: the answer is then 503 "try again", not 500 "our bug".
 */
const UNAVAILABLE_CODES = new Set([
  // sockets
  'ENOTFOUND',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  // PostgreSQL: connection exceptions, shutting down / starting up, too many connections
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

/** SQLSTATE classes: 08 connection exception, 53 insufficient resources, 57P operator intervention, 58 system error. */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P|58)/;

const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/i, // pg: the server closed the connection
  /timeout exceeded when trying to connect/i, // pg pool: no connection in time
  /is not queryable/i, // pg: a client that had a connection error
  /^Connection is closed/i, // ioredis
  /max retries per request/i, // ioredis: commands given up while reconnecting
  /^Stream isn't writeable/i, // ioredis offline queue disabled
  /connection error|Connection refused|the database system is (starting up|shutting down)/i,
];

export function isDependencyUnavailable(error: unknown): boolean {
  return someCause(error, (e) =>
    (typeof e.code === 'string' && (UNAVAILABLE_CODES.has(e.code) || UNAVAILABLE_SQLSTATE.test(e.code))) ||
    (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((m) => m.test(e.message as string))),
  );
}

/** Whether `test` holds for the error or any error it wraps (TypeORM's driverError, cause, AggregateError). */
export function someCause(error: unknown, test: (e: { code?: unknown; message?: unknown }) => boolean): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length) {
    const e = queue.shift() as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown } | null;
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    if (test(e)) return true;
    // TypeORM wraps the driver's error; Node's connect wraps one error per address tried.
    queue.push(e.driverError, e.cause, ...(Array.isArray(e.errors) ? e.errors : []));
  }
  return false;
}
