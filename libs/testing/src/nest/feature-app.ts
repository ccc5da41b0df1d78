import { DynamicModule, Global, INestApplication, Module, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule, signAccessToken } from '@hotline/auth';
import { Role, ServiceName } from '@hotline/contracts';
import {
  createServiceApp,
  migrateServiceSchema,
  SERVICE_ENVIRONMENT,
  ServiceDatabase,
  ServiceEnvironment,
  serviceDataSourceOptions,
} from '@hotline/platform';
import { createTestDatabase } from '../database/test-database';

export interface FeatureAppOptions {
  service: ServiceName;
  database: ServiceDatabase;
  /** A fresh test database of this name is created and migrated. */
  databaseName: string;
  /** The feature modules under test, as the service's root module would import them. */
  imports: (Type<unknown> | DynamicModule)[];
  /** Settings of the service's environment to change (demo mode, say). */
  env?: Partial<ServiceEnvironment>;
  /** The URL the app (not the migration) connects with: a relay the test can cut, say. */
  connectVia?: (databaseUrl: string) => string;
}

export interface FeatureAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests check the answers field by field
  body: any;
}

export interface FeatureApp {
  app: INestApplication;
  base: string;
  env: ServiceEnvironment;
  token(role: Role, claims?: { departmentId?: string; regionCode?: string }): string;
  /** An HTTP call as `role` (null: without a token). */
  call(method: string, path: string, role?: Role | null, body?: unknown): Promise<FeatureAnswer>;
  close(): Promise<void>;
}

const SECRET = 'feature-app-test-secret-0123456789abcdef';

/**
 * A service's feature modules behind the real guard, validation and error shape, on a fresh,
 * migrated test database, listening on a free port: for HTTP tests of one feature without the
 * rest of the stack.
 */
export async function startFeatureApp(options: FeatureAppOptions): Promise<FeatureApp> {
  const url = await createTestDatabase(options.databaseName);
  const env = Object.assign(new ServiceEnvironment(), { LOG_LEVEL: 'error' as const, ...options.env, DATABASE_URL: url, JWT_SECRET: SECRET });
  const migrationOptions = serviceDataSourceOptions(options.service, env, options.database);
  await migrateServiceSchema(migrationOptions);
  const dataSourceOptions = options.connectVia ? { ...migrationOptions, url: options.connectVia(url) } : migrationOptions;

  @Global()
  @Module({ providers: [{ provide: SERVICE_ENVIRONMENT, useValue: env }], exports: [SERVICE_ENVIRONMENT] })
  class EnvironmentModule {}

  @Module({ imports: [EnvironmentModule, TypeOrmModule.forRoot(dataSourceOptions), AuthModule, ...options.imports] })
  class FeatureTestApp {}

  const app = await createServiceApp({ service: options.service, module: FeatureTestApp, withTelemetry: false }, env);
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const token: FeatureApp['token'] = (role, claims = {}) =>
    signAccessToken({ sub: `${role}-id`, username: `${role}.tester`, role, ...claims }, SECRET, 600);
  return {
    app,
    base,
    env,
    token,
    async call(method, path, role, body) {
      const headers: Record<string, string> = {};
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (role) headers.authorization = `Bearer ${token(role)}`;
      const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    close: () => app.close(),
  };
}
