// Starts the whole stack once for the e2e run: its own database and its own Kafka namespace
// on the real servers, the five apps as real processes on ports the OS reports free.
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const root = path.resolve(__dirname, '../..');
const load = (file) => import(pathToFileURL(path.join(root, file)).href);

module.exports = async function globalSetup() {
  const infra = await load('tools/infra/index.mjs');
  const { startStack, freeStackPorts, testStackSettings } = await load('tools/scripts/lib/services.mjs');
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
  // A stand-in OpenTelemetry collector: the stack exports its spans here (OTLP/HTTP JSON), one
  // request body a line in traces.jsonl, for the tracing test to read.
  require('node:fs').mkdirSync(logDir, { recursive: true });
  const traces = path.join(logDir, 'traces.jsonl');
  const collector = require('node:http').createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.url === '/v1/traces') require('node:fs').appendFileSync(traces, `${body.replace(/\n/g, ' ')}\n`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise((resolve) => collector.listen(0, '127.0.0.1', resolve));
  globalThis.__HOTLINE_COLLECTOR__ = collector;

  const stack = await startStack(root, {
    shared: testStackSettings({ databaseUrl: url.toString(), brokers: servers.kafka.brokers, namespace, jwtSecret }, {
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collector.address().port}`,
      OTEL_BSP_SCHEDULE_DELAY: '300',
    }),
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
  process.env.E2E_TRACES_FILE = traces;
  process.env.E2E_JWT_SECRET = jwtSecret;
};
