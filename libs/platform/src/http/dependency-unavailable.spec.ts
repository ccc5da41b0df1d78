import { QueryFailedError } from 'typeorm';
import { isDependencyUnavailable } from './dependency-unavailable';
import { toApiError } from './api-errors';

describe('isDependencyUnavailable', () => {
  it('recognises PostgreSQL going away, wrapped by TypeORM or not', () => {
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    expect(isDependencyUnavailable(new QueryFailedError('SELECT 1', [], shutdown))).toBe(true);
    expect(isDependencyUnavailable(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true);
    expect(isDependencyUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDependencyUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
  });

  it('recognises refused connections, also inside the AggregateError of a dual-stack connect', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(isDependencyUnavailable(refused)).toBe(true);
    expect(isDependencyUnavailable(new AggregateError([refused], ''))).toBe(true);
    expect(isDependencyUnavailable(new Error('Connection is closed.'))).toBe(true);
  });

  it('leaves real failures alone: a constraint violation or a bug is not "try again"', () => {
    const unique = Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' });
    expect(isDependencyUnavailable(new QueryFailedError('INSERT', [], unique))).toBe(false);
    expect(isDependencyUnavailable(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isDependencyUnavailable(undefined)).toBe(false);
    const loop: { cause?: unknown } = {};
    loop.cause = loop;
    expect(isDependencyUnavailable(loop)).toBe(false);
  });

  it('makes the API answer 503 Service Unavailable, with no internals', () => {
    const answer = toApiError(Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:5432'), { code: 'ECONNREFUSED' }));
    expect(answer.statusCode).toBe(503);
    expect(answer.error).toBe('Service Unavailable');
    expect(JSON.stringify(answer)).not.toContain('10.0.0.7');
    expect(toApiError(new Error('boom')).statusCode).toBe(500);
  });
});
