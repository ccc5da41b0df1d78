#!/usr/bin/env node
// Usage: node tools/infra/cli.mjs up|down|status
//   up      start/reuse PostgreSQL, Redis and a local Kafka (see index.mjs)
//   down    stop the Kafka broker infra started (PostgreSQL/Redis stay up)
//   status  one line per server; exit 1 if any is down
import { fileURLToPath } from 'node:url';
import { ensureInfrastructure, infrastructureStatus, stopInfrastructure } from './index.mjs';
import { defaultLog as log } from './util.mjs';

// Repo root = two levels up from tools/infra/, whatever the current directory is.
const root = fileURLToPath(new URL('../..', import.meta.url));

async function main(command) {
  const started = Date.now();
  switch (command) {
    case 'up':
      await ensureInfrastructure({ root, log });
      log(`infrastructure ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
      return 0;
    case 'down':
      await stopInfrastructure({ root, log });
      return 0;
    case 'status': {
      const servers = await infrastructureStatus({ root });
      for (const s of servers) {
        log(`${s.name.padEnd(8)} ${(s.up ? 'up' : 'DOWN').padEnd(4)} ${s.address.padEnd(15)} ${s.detail}`);
      }
      return servers.every((s) => s.up) ? 0 : 1;
    }
    default:
      console.error('usage: node tools/infra/cli.mjs up|down|status');
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code), // explicit: don't wait on lingering client sockets/timers
  (err) => {
    console.error(`[infra] ERROR: ${err.message}`);
    process.exit(1);
  },
);
