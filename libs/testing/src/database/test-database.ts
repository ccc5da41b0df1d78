import { Client } from 'pg';

/** The server the tests run against; databases are created per test file on it. */
export function testServerUrl(): string {
  return process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/**
 * Creates a fresh, empty database for one test file and returns its URL. Refuses any name that
 * does not mark it as a test database, so a test can never drop a real one.
 */
export async function createTestDatabase(name: string): Promise<string> {
  if (!/^[a-z0-9_]*test[a-z0-9_]*$/.test(name)) {
    throw new Error(`refusing to use '${name}': a test database name must contain 'test' and only [a-z0-9_]`);
  }
  const admin = new Client({ connectionString: testServerUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(testServerUrl());
  url.pathname = `/${name}`;
  return url.toString();
}
