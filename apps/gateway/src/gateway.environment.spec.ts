import { loadEnvironment } from '@hotline/platform';
import { GatewayEnvironment } from './gateway.environment';

describe('GatewayEnvironment', () => {
  it('reads every numeric setting from the environment', () => {
    const env = loadEnvironment(GatewayEnvironment, {
      ACCESS_TOKEN_TTL_SECONDS: '600',
      REFRESH_TOKEN_TTL_SECONDS: '7200',
      LOGIN_MAX_FAILURES: '4',
      LOGIN_LOCK_MINUTES: '30',
      ADDRESS_MAX_FAILURES: '50',
    });
    expect(env).toMatchObject({
      ACCESS_TOKEN_TTL_SECONDS: 600,
      REFRESH_TOKEN_TTL_SECONDS: 7200,
      LOGIN_MAX_FAILURES: 4,
      LOGIN_LOCK_MINUTES: 30,
      ADDRESS_MAX_FAILURES: 50,
    });
  });

  it('names a bad value', () => {
    expect(() => loadEnvironment(GatewayEnvironment, { LOGIN_MAX_FAILURES: 'many' })).toThrow(/LOGIN_MAX_FAILURES/);
  });
});
