/**
 * 故障演练 — one run of the fault suite: its own servers and stack, a generated workload through
 * the gateway while faults are injected, then (once the system has settled) the checks.
 * Used by `npm run test:faults` (tools/faults/run.ts) and by e2e/faults.e2e-spec.ts.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { checkEverything } from './checks';
import { InfraModule, loadModule, ROOT, ServicesModule } from './esm';
import { FaultInjector, planFaults } from './faults';
import { GatewayClient } from './http';
import { Prng } from './prng';
import { waitForQuiescence } from './quiesce';
import { failuresOf, FaultReport } from './report';
import { Log, PrivateKafka, PrivatePostgres, sleep } from './servers';
import { TIMER_POLICY, Workload } from './workload';

export interface SuiteOptions {
  seed: number;
  mode: 'short' | 'full';
  tickets: number;
  loadMs: number;
  killsPerService: number;
  kafkaRestarts: number;
  postgresRestarts: number;
  /** Tickets signed for late and then left (their reply clock runs out ~100 s after receipt). */
  lateTimers: boolean;
  /** The part of the load window the faults fall in (fractions of it). */
  faultWindow: [number, number];
  stepTimeoutMs: number;
  quiesceTimeoutMs: number;
  /** Keep the scratch servers' data (the logs are always kept). */
  keep: boolean;
  logDir: string;
  log: Log;
}

export function defaultOptions(mode: 'short' | 'full', seed: number): Omit<SuiteOptions, 'logDir' | 'log'> {
  return mode === 'short'
    ? { seed, mode, tickets: 40, loadMs: 45_000, killsPerService: 1, kafkaRestarts: 1, postgresRestarts: 1, lateTimers: false, faultWindow: [0.1, 0.6], stepTimeoutMs: 90_000, quiesceTimeoutMs: 150_000, keep: false }
    : { seed, mode, tickets: 160, loadMs: 240_000, killsPerService: 2, kafkaRestarts: 2, postgresRestarts: 2, lateTimers: true, faultWindow: [0.1, 0.8], stepTimeoutMs: 120_000, quiesceTimeoutMs: 240_000, keep: false };
}

/** Undo what a run has started; run.ts calls it on Ctrl-C too. */
const cleanups: (() => Promise<void>)[] = [];

export async function cleanUp(): Promise<void> {
  while (cleanups.length) {
    const undo = cleanups.pop() as () => Promise<void>;
    await undo().catch(() => undefined);
  }
}

async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL || 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export async function runFaultSuite(options: SuiteOptions): Promise<FaultReport> {
  const { log } = options;
  const started = Date.now();
  fs.mkdirSync(options.logDir, { recursive: true });
  const services = await loadModule<ServicesModule>('tools/scripts/lib/services.mjs');
  const infra = await loadModule<InfraModule>('tools/infra/index.mjs');
  await infra.ensureRedis({ log: () => undefined });

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `hotline-faults-${process.pid}-`));
  fs.chmodSync(scratch, 0o755);
  cleanups.push(async () => {
    if (!options.keep) fs.rmSync(scratch, { recursive: true, force: true });
  });
  const postgres = await PrivatePostgres.create(path.join(scratch, 'postgres'), log);
  cleanups.push(() => postgres.destroy(options.logDir, options.keep));
  const database = `hotline_test_faults_${process.pid}`;
  {
    const admin = new Client({ connectionString: postgres.url() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
  }
  log(`PostgreSQL of the run on :${postgres.port} (database ${database})`);
  const kafka = await PrivateKafka.prepare(ROOT, path.join(scratch, 'kafka'), options.logDir, log);
  cleanups.push(() => kafka.destroy(options.keep));
  // The broker boots while the services migrate and start (they wait for it).
  const kafkaUp = kafka.formatAndStart().then(() => log(`Kafka broker of the run up on :${kafka.port}`));

  const runTag = `F${options.seed.toString(36)}${Date.now().toString(36).slice(-4)}`;
  const namespace = `test.faults.${runTag.toLowerCase()}.`;
  const shared = services.testStackSettings({
    databaseUrl: postgres.url(database),
    brokers: kafka.brokers,
    namespace,
    jwtSecret: `faults-only-secret-${randomBytes(16).toString('hex')}`,
  });
  cleanups.push(() => deleteRedisKeys(shared.REDIS_KEY_PREFIX));
  const starting = services.startStack(ROOT, { shared, ports: await services.freeStackPorts(), logDir: options.logDir, log: () => undefined });
  cleanups.push(async () => {
    await (await starting).stop();
  });
  const [stack] = await Promise.all([starting, kafkaUp]);
  log(`stack ready: gateway http://127.0.0.1:${stack.ports.gateway} (${JSON.stringify(stack.ports)})`);

  const http = new GatewayClient(`http://127.0.0.1:${stack.ports.gateway}`);
  await publishTimerPolicy(http);
  const rng = new Prng(options.seed);
  const plan = planFaults(rng.fork('faults'), options);
  const injector = new FaultInjector({ services, stack, shared, kafka, postgres, namespace, log });
  cleanups.push(async () => {
    injector.stopWatching();
    await injector.close();
  });
  const workload = new Workload(http, rng.fork('workload'), {
    tickets: options.tickets,
    loadMs: options.loadMs,
    stepTimeoutMs: options.stepTimeoutMs,
    disturbed: () => injector.disturbed(),
    thinkMs: options.mode === 'short' ? [200, 1_200] : [300, 2_500],
    runTag,
    lateTimers: options.lateTimers,
    log,
  });
  const tickets = workload.plan();
  // Sessions first: logging in 15 users is scrypt work the faults need not interrupt.
  for (const user of new Set(['operator', 'supervisor', 'admin', ...tickets.map((t) => t.handler)])) await http.token(user);

  const setupMs = Date.now() - started;
  log(`setup took ${(setupMs / 1000).toFixed(1)} s; load of ${tickets.length} tickets over ${options.loadMs / 1000} s with ${plan.length} faults`);

  const loadStart = Date.now();
  let workloadDone = false;
  const running = workload.run().finally(() => (workloadDone = true));
  await injector.run(plan, loadStart, () => workloadDone);
  await running;
  const loadMs = Date.now() - loadStart;
  await injector.settled();
  const drainMs = Date.now() - loadStart - loadMs;
  log(`workload done after ${(loadMs / 1000).toFixed(1)} s; waiting for the system to settle`);

  const quiesceStart = Date.now();
  const quiescence = await waitForQuiescence({ databaseUrl: shared.DATABASE_URL, brokers: kafka.brokers, namespace, timeoutMs: options.quiesceTimeoutMs, log });
  const quiesceMs = Date.now() - quiesceStart;
  log(`${quiescence.quiet ? 'settled' : 'did NOT settle'} after ${(quiesceMs / 1000).toFixed(1)} s: ${quiescence.last}`);

  const checkStart = Date.now();
  const checks = await checkEverything({
    databaseUrl: shared.DATABASE_URL,
    http,
    brokers: kafka.brokers,
    namespace,
    runTag,
    tickets,
    faults: injector.faults,
    poison: injector.poison,
    checkTime: checkStart,
    log,
  });
  const checkMs = Date.now() - checkStart;
  await injector.settled();
  injector.stopWatching();

  const actions = tickets.flatMap((t) => t.actions.filter((a) => a.type !== 'create'));
  const byScript: Record<string, number> = {};
  for (const t of tickets.filter((x) => x.id)) byScript[t.script] = (byScript[t.script] ?? 0) + 1;
  const partial: Omit<FaultReport, 'ok' | 'failures'> = {
    seed: options.seed,
    mode: options.mode,
    settings: {
      tickets: options.tickets,
      loadSeconds: options.loadMs / 1000,
      killsPerService: options.killsPerService,
      kafkaRestarts: options.kafkaRestarts,
      postgresRestarts: options.postgresRestarts,
      lateTimers: options.lateTimers,
    },
    timings: { setupMs, loadMs, drainMs, quiesceMs, checkMs, totalMs: Date.now() - started },
    faults: injector.faults,
    poison: injector.poison,
    crashes: injector.crashes,
    workload: {
      planned: tickets.length,
      accepted: tickets.filter((t) => t.id).length,
      createInDoubt: tickets.filter((t) => t.actions[0]?.status === 'in-doubt').length,
      actionsApplied: actions.filter((a) => a.status === 'applied').length,
      actionsInDoubt: tickets.flatMap((t) => t.actions).filter((a) => a.status === 'in-doubt').length,
      confirmedByState: actions.filter((a) => a.confirmedBy === 'state').length,
      stuck: tickets.flatMap((t) => t.actions.filter((a) => a.status === 'stuck').map((a) => `ticket #${t.seq} ${t.id ?? ''} ${a.type}: ${a.detail ?? ''}`)),
      byScript,
    },
    http: http.stats,
    quiescence,
    checks,
    logDir: options.logDir,
  };
  const failures = failuresOf(partial);
  const report: FaultReport = { ...partial, ok: failures.length === 0, failures };
  fs.writeFileSync(path.join(options.logDir, 'report.json'), JSON.stringify(report, null, 2));
  fs.writeFileSync(path.join(options.logDir, 'ground-truth.json'), JSON.stringify(tickets, null, 2));
  return report;
}

/** Suggestions (建议) get a one-minute sign-for and reply limit, warning at half time. */
async function publishTimerPolicy(http: GatewayClient): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const answer = await http.as('admin', 'PUT', '/api/admin/sla-policies', TIMER_POLICY);
    if (answer.kind === 'ok') return;
    if (attempt >= 10) throw new Error(`could not publish the run's SLA policy: ${JSON.stringify(answer)}`);
    await sleep(1_000);
  }
}
