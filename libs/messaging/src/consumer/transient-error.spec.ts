import { QueryFailedError } from 'typeorm';
import { isTransientError } from './transient-error';

const pgError = (code: string, message = 'error') => new QueryFailedError('SELECT 1', [], Object.assign(new Error(message), { code }));

describe('isTransientError', () => {
  it('waits out the database going away and conflicts another transaction caused', () => {
    expect(isTransientError(pgError('57P01', 'terminating connection due to administrator command'))).toBe(true);
    expect(isTransientError(pgError('53300', 'too many connections'))).toBe(true);
    expect(isTransientError(pgError('40P01', 'deadlock detected'))).toBe(true);
    expect(isTransientError(pgError('40001', 'could not serialize access'))).toBe(true);
    expect(isTransientError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
  });

  it('gives a message’s own failures to retry and the dead-letter topic', () => {
    expect(isTransientError(pgError('23505', 'duplicate key value violates unique constraint'))).toBe(false);
    expect(isTransientError(pgError('22P02', 'invalid input syntax for type uuid'))).toBe(false);
    expect(isTransientError(new Error('no department for region 500199'))).toBe(false);
    expect(isTransientError(null)).toBe(false);
  });
});
