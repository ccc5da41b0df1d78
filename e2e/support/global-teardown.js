module.exports = async function globalTeardown() {
  await globalThis.__HOTLINE_STACK__?.stop();
  globalThis.__HOTLINE_COLLECTOR__?.close();
  const database = globalThis.__HOTLINE_E2E_DATABASE__;
  if (!database || process.env.E2E_KEEP_DATABASE) return;
  const { Client } = require('pg');
  const admin = new Client({ connectionString: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
};
