const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

/**
 * True for failures of the infrastructure rather than of the message: the database is down
 * or restarting, a connection dropped, a deadlock or serialisation conflict. Such errors are
 * retried for as long as it takes; sending the message to the dead-letter topic would lose
 * nothing but would bury a healthy message.
 */
export function isTransientError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; driverError?: unknown; message?: unknown; cause?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code) {
    if (NETWORK_CODES.has(code)) return true;
    // SQLSTATE classes: 08 connection exception, 53 insufficient resources, 57P operator
    // intervention (admin shutdown, cannot connect now), 58 system error; 40001/40P01 conflicts.
    if (/^(08|53|57P|58)/.test(code) || code === '40001' || code === '40P01') return true;
  }
  const message = typeof e.message === 'string' ? e.message : '';
  if (/Connection terminated|connection error|timeout exceeded when trying to connect|Connection refused|the database system is (starting up|shutting down)/i.test(message)) {
    return true;
  }
  return isTransientError(e.driverError) || isTransientError(e.cause);
}
