/**
 * Whether an error means a server the service depends on (PostgreSQL, Redis) could not be
 * reached or went away mid-request: the answer is then 503 "try again", not 500 "our bug".
 */
const UNAVAILABLE_CODES = new Set([
  // sockets
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
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/i, // pg: the server closed the connection
  /timeout exceeded when trying to connect/i, // pg pool: no connection in time
  /is not queryable/i, // pg: a client that had a connection error
  /^Connection is closed/i, // ioredis
  /max retries per request/i, // ioredis: commands given up while reconnecting
  /^Stream isn't writeable/i, // ioredis offline queue disabled
];

export function isDependencyUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length) {
    const e = queue.shift() as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown } | null;
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((m) => m.test(e.message as string))) return true;
    // TypeORM wraps the driver's error; Node's connect wraps one error per address tried.
    queue.push(e.driverError, e.cause, ...(Array.isArray(e.errors) ? e.errors : []));
  }
  return false;
}
