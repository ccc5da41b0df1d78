// Bring-up of everything the services need: PostgreSQL, Redis, Kafka.
//
// Two ways to get them:
//  - local (default): the machine's PostgreSQL and Redis (started if installed and
//    down) plus a Kafka broker run from Maven jars (kafka.mjs);
//  - docker: `docker compose up -d kafka postgres redis`, then the same readiness checks.
// HOTLINE_INFRA=local|docker forces one; otherwise docker is used only when the
// local binaries are missing and a Docker engine actually answers.
import { spawnSync } from 'node:child_process';
import { ensureKafka, kafkaStatus, stopKafka } from './kafka.mjs';
import { ensurePostgres, postgresStatus } from './postgres.mjs';
import { ensureRedis, redisStatus } from './redis.mjs';
import { defaultLog, findExecutable } from './util.mjs';

export { ensureKafka, stopKafka, kafkaStatus } from './kafka.mjs';
export { ensurePostgres, ensureDatabase, postgresStatus } from './postgres.mjs';
export { ensureRedis, redisStatus } from './redis.mjs';

const COMPOSE_SERVICES = ['kafka', 'postgres', 'redis'];

/** `docker info` succeeds only if an engine is reachable (the CLI alone isn't enough). */
function dockerEngineAvailable() {
  if (!findExecutable('docker')) return false;
  return spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 15_000 }).status === 0;
}

/** 'local' or 'docker', per the rules in the header comment. */
export function infraMode() {
  const forced = process.env.HOTLINE_INFRA;
  if (forced === 'docker') {
    if (!dockerEngineAvailable()) throw new Error('HOTLINE_INFRA=docker but no Docker engine is reachable (`docker info` failed).');
    return 'docker';
  }
  if (forced === 'local') return 'local';
  if (forced) throw new Error(`HOTLINE_INFRA must be "local" or "docker", got "${forced}"`);
  const localBinaries = ['java', 'pg_ctlcluster', 'redis-server'].every((b) => findExecutable(b));
  return !localBinaries && dockerEngineAvailable() ? 'docker' : 'local';
}

function compose(args, root) {
  const res = spawnSync('docker', ['compose', ...args], { cwd: root, encoding: 'utf8' });
  if (res.status !== 0) {
    throw new Error(`docker compose ${args.join(' ')} failed (exit ${res.status ?? res.error?.message}):\n${`${res.stdout ?? ''}${res.stderr ?? ''}`.trim()}`);
  }
}

/** Start (or reuse) PostgreSQL, Redis and Kafka; resolves once all three answer. */
export async function ensureInfrastructure({ root, log = defaultLog } = {}) {
  const mode = infraMode();
  if (mode === 'docker') {
    log(`docker compose up -d ${COMPOSE_SERVICES.join(' ')}`);
    compose(['up', '-d', ...COMPOSE_SERVICES], root);
  }
  const start = mode === 'local';
  // Sequential on purpose: the output stays readable and PG/Redis take milliseconds when already up.
  const postgres = await ensurePostgres({ log, start, timeoutMs: start ? 30_000 : 90_000 });
  const redis = await ensureRedis({ log, start, timeoutMs: start ? 15_000 : 90_000 });
  const kafka = await ensureKafka({ root, log, start });
  return { mode, postgres, redis, kafka };
}

/**
 * Stop what infra itself runs: the local Kafka broker (or the compose services in
 * docker mode). The machine's own PostgreSQL and Redis are left alone.
 */
export async function stopInfrastructure({ root, log = defaultLog } = {}) {
  await stopKafka({ root, log });
  if (infraMode() === 'docker') {
    log(`docker compose stop ${COMPOSE_SERVICES.join(' ')}`);
    compose(['stop', ...COMPOSE_SERVICES], root);
  } else {
    log('PostgreSQL and Redis are the machine\'s services: left running');
  }
}

/** Status of all three servers: [{ name, up, address, detail }]. */
export async function infrastructureStatus({ root } = {}) {
  return Promise.all([postgresStatus(), redisStatus(), kafkaStatus({ root })]);
}
