import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit, Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { ServiceName } from '@hotline/contracts';
import { loadEnvironment, ServiceEnvironment } from './config/service-environment';
import { ServiceDatabase, serviceDataSourceOptions } from './database/service-database';
import { HealthController } from './health/health.controller';
import { HealthRegistry } from './health/health-registry';
import { MetricsController } from './telemetry/metrics.controller';
import { stopTracing } from './tracing/tracing';
import { Telemetry } from './telemetry/telemetry';
import { createRedisClient, REDIS_CLIENT } from './redis/redis-client';

import { SERVICE_ENVIRONMENT, SERVICE_NAME } from './tokens';

export { SERVICE_ENVIRONMENT, SERVICE_NAME };

export interface PlatformOptions {
  service: ServiceName;
  /** The service's own schema; omitted by a service that keeps no state (yet). */
  database?: ServiceDatabase;
  /** A subclass of ServiceEnvironment with the service's own settings. */
  environment?: new () => ServiceEnvironment;
}

@Injectable()
class InfrastructureHealth implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly registry: HealthRegistry,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(DataSource) private readonly dataSource: DataSource | null,
  ) {}

  onModuleInit(): void {
    if (this.dataSource) {
      const ds = this.dataSource;
      this.registry.register('postgres', async () => {
        await ds.query('SELECT 1');
        return { ok: true };
      });
    }
    this.registry.register('redis', async () => ({ ok: (await this.redis.ping()) === 'PONG' }));
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
    await stopTracing(); // the last spans
  }
}

/**
 * What every service stands on: validated environment, its PostgreSQL schema through TypeORM,
 * a Redis client, and the health endpoints.
 */
@Global()
@Module({})
export class PlatformModule {
  static forService(options: PlatformOptions): DynamicModule {
    // Read when the application is created (not when modules are declared), so a bad variable
    // is reported by runService with its name rather than as a crash at import time.
    const environmentModule: DynamicModule = {
      module: class EnvironmentModule {},
      providers: [
        { provide: SERVICE_ENVIRONMENT, useFactory: () => loadEnvironment(options.environment ?? ServiceEnvironment) },
      ],
      exports: [SERVICE_ENVIRONMENT],
    };
    const providers: Provider[] = [
      { provide: SERVICE_NAME, useValue: options.service },
      {
        provide: REDIS_CLIENT,
        inject: [SERVICE_ENVIRONMENT],
        useFactory: (env: ServiceEnvironment) =>
          createRedisClient(env.REDIS_URL, `hotline-${options.service}`, env.REDIS_KEY_PREFIX),
      },
      HealthRegistry,
      InfrastructureHealth,
      { provide: Telemetry, useFactory: () => new Telemetry(options.service) },
    ];
    const imports: DynamicModule[] = [environmentModule];
    if (options.database) {
      const database = options.database;
      imports.push(
        TypeOrmModule.forRootAsync({
          imports: [environmentModule],
          inject: [SERVICE_ENVIRONMENT],
          useFactory: (env: ServiceEnvironment) => ({
            ...serviceDataSourceOptions(options.service, env, database),
            // Wait for PostgreSQL instead of crashing in a loop when it is not up yet.
            retryAttempts: Number.MAX_SAFE_INTEGER,
            retryDelay: 2_000,
          }),
        }),
      );
    } else {
      providers.push({ provide: DataSource, useValue: null });
    }
    return {
      module: PlatformModule,
      imports,
      controllers: [HealthController, MetricsController],
      providers,
      exports: [SERVICE_NAME, environmentModule, REDIS_CLIENT, HealthRegistry, Telemetry],
    };
  }
}
