#!/usr/bin/env node
// `npm start`: install → PostgreSQL, Redis, Kafka → migrate → start every service → demo data
// → print the address. Ctrl-C stops what it started.
import { fileURLToPath } from 'node:url';
import { buildConsole } from './lib/console.mjs';
import { ensureDependencies } from './lib/install.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const log = (m) => console.log(`\x1b[1m[start]\x1b[0m ${m}`);

async function main() {
  ensureDependencies(root, log);
  // Loaded only now: they need the dependencies just installed.
  const infra = await import('../infra/index.mjs');
  const { startStack } = await import('./lib/services.mjs');
  const { seedDemo, DEMO_PASSWORD } = await import('./lib/demo-seed.mjs');

  const servers = await infra.ensureInfrastructure({ root, log: (m) => console.log(`[infra] ${m}`) });
  const database = process.env.HOTLINE_DATABASE ?? 'hotline';
  const { url } = await infra.ensureDatabase(database, { log });
  // Demo mode: the demo users of API.md are seeded (never in production).
  const shared = { DATABASE_URL: url, KAFKA_BROKERS: servers.kafka.brokers.join(','), NODE_ENV: 'development', DEMO_SEED: 'true' };

  buildConsole(root, log);
  const stack = await startStack(root, { shared, log });
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping the services…`);
    await stack.stop();
    if (servers.kafka.started) await infra.stopKafka({ root, log });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  for (const handle of stack.handles) {
    handle.child.on('exit', (code, signal) => {
      if (!stopping) log(`${handle.name} exited unexpectedly (${signal ?? code}); the rest keeps running`);
    });
  }

  const gateway = `http://127.0.0.1:${stack.ports.gateway}`;
  const seeded = await seedDemo(gateway, log);
  log('');
  log(`hotline is running: ${gateway}  (the web console; the API under ${gateway}/api)`);
  log(`  demo users (password ${DEMO_PASSWORD}): admin, operator, dispatcher, supervisor, supervisor.500103, leader,`);
  log('  and one handler per department: handler.500103 (渝中区), handler.500105 (江北区), … handler.jyc (就业处)');
  log(`  POST ${gateway}/api/auth/login               {username, password} → accessToken`);
  log(`  POST ${gateway}/api/tickets                  new ticket (operator)`);
  log(`  GET  ${gateway}/api/tickets/<id>/timeline    its trip through the services`);
  if (seeded.length) log(`  demo ticket: ${seeded[0].number}, id ${seeded[0].id}`);
  log('Ctrl-C stops everything.');
}

main().catch((err) => {
  console.error(`[start] ERROR: ${err.message}`);
  process.exit(1);
});
