// Starts the whole stack once for the e2e run: its own database and its own Kafka namespace
// on the real servers, the five apps as real processes on ports the OS reports free.
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const root = path.resolve(__dirname, '../..');
const load = (file) => import(pathToFileURL(path.join(root, file)).href);

module.exports = async function globalSetup() {
  const infra = await load('tools/infra/index.mjs');
  const { startStack, freeStackPorts } = await load('tools/scripts/lib/services.mjs');
  const servers = await infra.ensureInfrastructure({ root, log: () => undefined });

  const { Client } = require('pg');
  // A database of its own per run, so two checkouts' runs on one machine never drop each other's.
  const database = `hotline_test_e2e_${process.pid}`;
  const admin = new Client({ connectionString: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${database}`;

  const namespace = `test.e2e.${Date.now().toString(36)}.`;
  const jwtSecret = `e2e-only-secret-${Date.now()}-0123456789abcdef`;
  const logDir = path.join(root, '.local', 'logs', 'e2e');
  require('node:fs').rmSync(logDir, { recursive: true, force: true });
  const stack = await startStack(root, {
    shared: {
      DATABASE_URL: url.toString(),
      KAFKA_BROKERS: servers.kafka.brokers.join(','),
      KAFKA_NAMESPACE: namespace,
      REDIS_KEY_PREFIX: `${namespace}redis:`,
      NODE_ENV: 'test',
      JWT_SECRET: jwtSecret,
      DEMO_SEED: 'true',
    },
    ports: await freeStackPorts(),
    logDir,
    log: () => undefined,
  });
  globalThis.__HOTLINE_STACK__ = stack;
  process.env.E2E_GATEWAY_URL = `http://127.0.0.1:${stack.ports.gateway}`;
  process.env.E2E_SERVICE_PORTS = JSON.stringify(stack.ports);
  process.env.E2E_KAFKA_NAMESPACE = namespace;
  process.env.E2E_DATABASE_URL = url.toString();
  globalThis.__HOTLINE_E2E_DATABASE__ = database;
  process.env.E2E_LOG_DIR = logDir;
  process.env.E2E_JWT_SECRET = jwtSecret;
};
