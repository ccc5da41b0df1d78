import { isDependencyUnavailable, someCause } from '@hotline/platform';

/**
 * True for failures of the infrastructure rather than of the message: the database is down
 * or restarting, a connection dropped (isDependencyUnavailable), a deadlock or serialisation
 * conflict. Such errors are retried for as long as it takes; sending the message to the
 * dead-letter topic would lose nothing but would bury a healthy message.
 */
export function isTransientError(err: unknown): boolean {
  return isDependencyUnavailable(err) || someCause(err, (e) => e.code === '40001' || e.code === '40P01');
}
