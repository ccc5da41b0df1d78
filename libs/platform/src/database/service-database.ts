import { DataSource, DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { ServiceName } from '@hotline/contracts';
import { ServiceEnvironment } from '../config/service-environment';

/** What a service declares about its database: its entities and migrations, in its own schema. */
export interface ServiceDatabase {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
}

/** One database, one schema per service (ARCHITECTURE.md); no `synchronize`, only migrations. */
export function serviceDataSourceOptions(
  service: ServiceName,
  env: Pick<ServiceEnvironment, 'DATABASE_URL'>,
  database: ServiceDatabase,
): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url: env.DATABASE_URL,
    schema: service,
    entities: database.entities,
    migrations: database.migrations,
    migrationsTableName: 'schema_migration',
    synchronize: false,
    migrationsRun: false,
    logging: ['error', 'warn'],
    applicationName: `hotline-${service}`,
    // No JIT: the services run short statements whose estimated cost can still pass
    // jit_above_cost, and compiling them takes longer than running them (a department table
    // recount of 200 tickets: 2.4 s of JIT for 0.2 s of work).
    extra: { max: 10, connectionTimeoutMillis: 5_000, options: '-c jit=off' },
  };
}

/**
 * Creates the service's schema if needed and runs its pending migrations, holding an advisory
 * lock so replicas starting together migrate once. Returns the names of the migrations run.
 */
export async function migrateServiceSchema(options: DataSourceOptions & { schema?: string }): Promise<string[]> {
  const schema = options.schema ?? 'public';
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrate:${schema}`]);
    try {
      await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      const ran = await dataSource.runMigrations({ transaction: 'each' });
      return ran.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrate:${schema}`]);
    }
  } finally {
    await runner.release();
    await dataSource.destroy();
  }
}
