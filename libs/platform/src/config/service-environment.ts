import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';
import { flattenErrors, ServiceName } from '@hotline/contracts';

/** Default ports on one machine; every one can be changed with PORT. */
export const DEFAULT_PORTS: Record<ServiceName, number> = {
  gateway: 3000,
  intake: 3001,
  assignment: 3002,
  supervision: 3003,
  metrics: 3004,
};

/**
 * Settings every service reads from its environment, validated at start so a missing or bad
 * variable stops the service with its name in the message rather than failing later.
 */
export class ServiceEnvironment {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  /** 0: any free port (a test's); the "listening on" line names the one bound. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number = undefined;

  @IsString()
  HOST = '127.0.0.1';

  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// connection URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/hotline';

  @Matches(/^[^\s,]+:\d+(,[^\s,]+:\d+)*$/, { message: 'must be host:port[,host:port…]' })
  KAFKA_BROKERS = '127.0.0.1:9092';

  /** Prefix for topic and group names; lets a test run own its topics on a shared broker. */
  @Matches(/^[a-zA-Z0-9._-]*$/, { message: 'may contain only letters, digits, dot, dash and underscore' })
  KAFKA_NAMESPACE = '';

  @IsInt()
  @Min(1)
  @Max(1000)
  KAFKA_PARTITIONS: number = 3;

  /**
   * Partitions a consumer of this process applies at once, each in a transaction of its own (a
   * ticket's events of one topic share a partition, so their order holds). Within a partition
   * the work is one database round trip after another: more partitions at once keep PostgreSQL
   * and the process busy. Each takes a pooled connection while it applies. 1 by default: on the
   * 2-core benchmark machine 3 made the pipeline slower (the consumers, CPU-bound, missed their
   * heartbeats and the groups rebalanced under load; bench/README.md).
   */
  @IsInt()
  @Min(1)
  @Max(16)
  CONSUMER_CONCURRENCY: number = 1;

  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Prefix of every Redis key, so installations (and test runs) sharing a Redis never meet. */
  @Matches(/^[a-zA-Z0-9._:-]+$/, { message: 'may contain only letters, digits and . _ : -' })
  REDIS_KEY_PREFIX = 'hotline:';

  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  /** JSON lines (for a log store) or readable lines; by default readable only in development. */
  @IsOptional()
  @IsIn(['json', 'pretty'])
  LOG_FORMAT?: 'json' | 'pretty' = undefined;

  /** Demo mode (`npm start`): services seed their demo data. Refused in production. */
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  @IsBoolean()
  DEMO_SEED = false;

  /** Signs and verifies access tokens (HS256); every service verifies tokens itself. */
  @MinLength(32)
  JWT_SECRET = 'development-only-jwt-secret-change-me-0001';

  /** The secret before the last rotation: tokens it signed stay valid until they expire. */
  @IsOptional()
  @MinLength(32)
  JWT_PREVIOUS_SECRET?: string = undefined;

  /** Where traces go: nowhere (default; trace context still passes through), an OTLP/HTTP collector, or stdout. */
  @IsIn(['none', 'otlp', 'console'])
  OTEL_TRACES_EXPORTER: 'none' | 'otlp' | 'console' = 'none';

  /** The OTLP/HTTP collector (traces are posted to <endpoint>/v1/traces). */
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL' })
  OTEL_EXPORTER_OTLP_ENDPOINT = 'http://127.0.0.1:4318';

  /** Milliseconds finished spans wait to be sent together. */
  @IsInt()
  @Min(100)
  @Max(60_000)
  OTEL_BSP_SCHEDULE_DELAY: number = 5_000;

  /** When set, Prometheus must send it as a bearer token to scrape /metrics. */
  @IsOptional()
  @MinLength(16)
  METRICS_TOKEN?: string = undefined;

  /**
   * Settings that must be given explicitly in production: their development defaults are
   * public, so a production service refuses to start on them.
   */
  secretsRequiredInProduction(): string[] {
    return ['JWT_SECRET', 'DATABASE_URL'];
  }
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

/** Reads and validates the environment into `cls`; unset variables keep the class defaults. */
export function loadEnvironment<T extends object>(
  cls: new () => T,
  env: NodeJS.ProcessEnv = process.env,
): T {
  // Every setting is a field with a default (`= undefined` for optional ones), so the keys of a
  // fresh instance are exactly the variables to read.
  const defaults = new cls() as Record<string, unknown>;
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(defaults)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const instance = plainToInstance(cls, { ...defaults, ...raw }, { enableImplicitConversion: true });
  const errors = validateSync(instance, { forbidUnknownValues: false });
  const problems = flattenErrors(errors);
  const required = (instance as { secretsRequiredInProduction?: () => string[] }).secretsRequiredInProduction?.() ?? [];
  if ((instance as { NODE_ENV?: string }).NODE_ENV === 'production') {
    for (const name of required) {
      if (!env[name]) problems.push(`${name}: must be set in production (the development default is public)`);
    }
    if ((instance as { DEMO_SEED?: boolean }).DEMO_SEED) {
      problems.push('DEMO_SEED: demo data has public passwords and is refused in production');
    }
  }
  if (problems.length) throw new ConfigurationError(problems);
  return instance;
}
