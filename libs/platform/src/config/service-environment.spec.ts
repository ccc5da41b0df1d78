import { ConfigurationError, loadEnvironment, ServiceEnvironment } from './service-environment';

describe('loadEnvironment', () => {
  it('keeps the development defaults when nothing is set', () => {
    const env = loadEnvironment(ServiceEnvironment, {});
    expect(env.KAFKA_BROKERS).toBe('127.0.0.1:9092');
    expect(env.PORT).toBeUndefined();
  });

  it('converts and validates, naming every bad variable', () => {
    expect(loadEnvironment(ServiceEnvironment, { PORT: '4000' }).PORT).toBe(4000);
    // Settings with a default are converted too (their type must be declared for that).
    expect(loadEnvironment(ServiceEnvironment, { KAFKA_PARTITIONS: '12' }).KAFKA_PARTITIONS).toBe(12);
    try {
      loadEnvironment(ServiceEnvironment, { PORT: 'eighty', DATABASE_URL: 'mysql://x', KAFKA_BROKERS: 'no port' });
      throw new Error('expected a configuration error');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigurationError);
      const text = (err as ConfigurationError).message;
      expect(text).toMatch(/PORT/);
      expect(text).toMatch(/DATABASE_URL: must be a postgres:\/\/ connection URL/);
      expect(text).toMatch(/KAFKA_BROKERS/);
    }
  });

  it('refuses to start in production on the public development secrets', () => {
    expect(() => loadEnvironment(ServiceEnvironment, { NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET: must be set in production[\s\S]*DATABASE_URL: must be set in production/,
    );
    const env = loadEnvironment(ServiceEnvironment, {
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-secret-of-forty-characters!!',
      DATABASE_URL: 'postgres://intake@db:5432/hotline',
    });
    expect(env.NODE_ENV).toBe('production');
  });

  it('refuses a secret too short to sign with', () => {
    expect(() => loadEnvironment(ServiceEnvironment, { JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
  });
});

describe('demo mode', () => {
  it('is refused in production', () => {
    expect(() =>
      loadEnvironment(ServiceEnvironment, {
        NODE_ENV: 'production',
        DEMO_SEED: 'true',
        JWT_SECRET: 'a-production-secret-of-forty-characters!!',
        DATABASE_URL: 'postgres://intake@db:5432/hotline',
      }),
    ).toThrow(/DEMO_SEED/);
    expect(loadEnvironment(ServiceEnvironment, { DEMO_SEED: 'true' }).DEMO_SEED).toBe(true);
  });
});
