import type { ServiceName } from '@hotline/contracts';
import { migrateServiceSchema, serviceDataSourceOptions, ServiceDatabase } from '@hotline/platform';
import { DataSource } from 'typeorm';
import { createTestDatabase } from './test-database';

/**
 * A fresh test database holding one service's schema, migrated as the service migrates it, and
 * an initialised DataSource on it (`maxConnections` for its pool; the service's default if not
 * given). The caller destroys it.
 */
export async function migratedServiceDatabase(
  service: ServiceName,
  databaseName: string,
  database: ServiceDatabase,
  { maxConnections }: { maxConnections?: number } = {},
): Promise<DataSource> {
  const url = await createTestDatabase(databaseName);
  const options = serviceDataSourceOptions(service, { DATABASE_URL: url }, database);
  await migrateServiceSchema(options);
  const dataSource = new DataSource(maxConnections ? { ...options, extra: { ...options.extra, max: maxConnections } } : options);
  return dataSource.initialize();
}
