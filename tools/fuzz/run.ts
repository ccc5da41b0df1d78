/**
 * `npm run test:fuzz` — the hostile-input proof: starts a stack of its own (fresh database, its
 * own Kafka namespace, Redis prefix and JWT secret, demo users), sends every HTTP endpoint
 * FUZZ_REQUESTS hostile requests (random and boundary values, wrong types, huge and deep bodies,
 * SQL and script fragments, invalid UTF-8, wrong content types, forged tokens …) and checks that
 * every one is refused with a 4xx and the API's error body, that no service answers 5xx, drops a
 * connection or dies, and that the stored data is the same afterwards.
 *
 *   FUZZ_SEED=<n>          repeat a run (the seed is printed)       default: random
 *   FUZZ_REQUESTS=<n>      requests per endpoint                    default: 40
 *   FUZZ_CONCURRENCY=<n>   endpoints fuzzed at once                 default: 4
 *   FUZZ_ONLY=<text>       only endpoints whose label contains it  e.g. "POST /api/tickets"
 *   FUZZ_KEEP_DATABASE=1   keep the run's database afterwards
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';
import { compareSettled, settledFingerprint } from './fingerprint';
import { attachLogLines, formatBreakdown, formatFailures, formatTable, fuzzAll, FuzzTarget, readiness, seedFrom } from './fuzz-run';
import { createChannelKey, loginDemoUsers } from './session';
import type { ServiceName } from './endpoints';

const root = path.resolve(__dirname, '../..');

interface StackHandle {
  name: string;
  child: { exitCode: number | null; signalCode: string | null };
}
interface Stack {
  ports: Record<ServiceName, number>;
  handles: StackHandle[];
  stop(): Promise<unknown>;
}
interface ServicesModule {
  startStack(root: string, options: { shared: Record<string, string>; ports: Record<string, number>; logDir: string; log: (line: string) => void }): Promise<Stack>;
  freeStackPorts(): Promise<Record<string, number>>;
  testStackSettings(stack: { databaseUrl: string; brokers: string[]; namespace: string; jwtSecret: string }): Record<string, string>;
}
interface InfraModule {
  ensureInfrastructure(options: { root: string; log: (line: string) => void }): Promise<{ kafka: { brokers: string[] } }>;
}

/**
 * Loads one of the repository's ES modules. Through `new Function`, because this file is compiled
 * to CommonJS (by @swc-node/register), which would turn a plain `import()` into `require()`.
 */
const importEsm = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;
const load = <T>(file: string): Promise<T> => importEsm(pathToFileURL(path.join(root, file)).href) as Promise<T>;

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number ≥ 1, got "${raw}"`);
  return n;
}

async function main(): Promise<number> {
  const started = Date.now();
  const seed = seedFrom(process.env);
  const perEndpoint = positiveInt('FUZZ_REQUESTS', 40);
  const concurrency = positiveInt('FUZZ_CONCURRENCY', 4);
  const only = process.env.FUZZ_ONLY || undefined;
  const say = (line = '') => process.stdout.write(`${line}\n`);
  say(`fuzz: seed ${seed}, ${perEndpoint} requests per endpoint${only ? `, only "${only}"` : ''}`);
  say(`      repeat with: FUZZ_SEED=${seed} FUZZ_REQUESTS=${perEndpoint}${only ? ` FUZZ_ONLY='${only}'` : ''} npm run test:fuzz`);

  const infra = await load<InfraModule>('tools/infra/index.mjs');
  const { startStack, freeStackPorts, testStackSettings } = await load<ServicesModule>('tools/scripts/lib/services.mjs');
  const servers = await infra.ensureInfrastructure({ root, log: (l) => say(`infra: ${l}`) });

  const adminUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `hotline_test_fuzz_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;

  const namespace = `test.fuzz.${Date.now().toString(36)}.`;
  const jwtSecret = `fuzz-${randomBytes(24).toString('hex')}`;
  // The last run's logs and report stay for reading (like the e2e suite's, in .local/logs/e2e).
  const logDir = path.join(root, '.local', 'logs', 'fuzz');
  fs.rmSync(logDir, { recursive: true, force: true });

  let stack: Stack | undefined;
  const db = new Client({ connectionString: url.toString() });
  let exitCode = 1;
  try {
    say(`stack: starting (database ${database}, logs in ${path.relative(root, logDir)})`);
    const t0 = Date.now();
    stack = await startStack(root, {
      shared: testStackSettings({ databaseUrl: url.toString(), brokers: servers.kafka.brokers, namespace, jwtSecret }),
      ports: await freeStackPorts(),
      logDir,
      log: (l) => say(`stack: ${l}`),
    });
    say(`stack: ready in ${((Date.now() - t0) / 1000).toFixed(1)} s on ports ${JSON.stringify(stack.ports)}`);
    const target: FuzzTarget = { gatewayPort: stack.ports.gateway, servicePorts: stack.ports };

    const tokens = await loginDemoUsers(target.gatewayPort);
    const channelKey = await createChannelKey(target.gatewayPort, tokens.admin as string);
    await db.connect();
    const before = await settledFingerprint(db);
    say(`data: ${before.print.size} tables fingerprinted before (${before.settled ? 'settled' : 'STILL MOVING'} after ${before.waitedMs} ms)`);

    say('fuzz: sending …');
    const result = await fuzzAll(target, { tokens, channelKey, jwtSecret }, { seed, perEndpoint, concurrency, only, log: say });

    const after = await settledFingerprint(db);
    const { changes, compared, skipped } = await compareSettled(db, before, after);
    const ready = await readiness(target);
    const dead = stack.handles.filter((h) => h.child.exitCode !== null || h.child.signalCode !== null).map((h) => `${h.name} (exit ${h.child.exitCode ?? h.child.signalCode})`);
    attachLogLines(result.failures, logDir);

    say('');
    say(formatTable(result));
    say('');
    say(formatBreakdown(result));
    say('');
    say(
      changes.length
        ? `data: CHANGED by refused requests in ${changes.length} tables:\n${changes.map((c) => `  ${c.table}: ${c.before} → ${c.after} rows, ${c.removed} removed; added e.g. ${c.added.slice(0, 2).join(' | ')}`).join('\n')}`
        : `data: unchanged — ${compared} tables of gateway, intake, assignment, supervision and metrics compared`,
    );
    if (skipped.length) say(`data: moving on their own, so not compared: ${skipped.join(', ')}`);
    say(`services: ${Object.entries(ready).map(([s, r]) => `${s} ${r}`).join(', ')}${dead.length ? `; DIED: ${dead.join(', ')}` : ', all processes alive'}`);
    if (result.failures.length) {
      say('');
      say(`${result.failures.length} requests were not answered with a clear refusal:`);
      say(formatFailures(result.failures));
    }
    const reportFile = path.join(logDir, 'fuzz-report.json');
    fs.mkdirSync(logDir, { recursive: true });
    fs.writeFileSync(reportFile, JSON.stringify({ seed, perEndpoint, only, stats: result.stats.map(({ endpoint: _e, ...s }) => s), failures: result.failures, changes, skipped, ready, dead }, null, 2));
    const allReady = Object.values(ready).every((r) => r === 'ready');
    const ok = result.failures.length === 0 && changes.length === 0 && skipped.length === 0 && allReady && dead.length === 0;
    say('');
    say(`fuzz: ${ok ? 'PASSED' : 'FAILED'} — ${result.stats.reduce((n, s) => n + s.tried, 0)} requests to ${result.stats.length} endpoints in ${(result.ms / 1000).toFixed(1)} s (whole run ${((Date.now() - started) / 1000).toFixed(1)} s), seed ${seed}; report ${path.relative(root, reportFile)}`);
    exitCode = ok ? 0 : 1;
  } finally {
    await db.end().catch(() => undefined);
    await stack?.stop();
    if (!process.env.FUZZ_KEEP_DATABASE) {
      const cleanup = new Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await cleanup.end();
    }
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`fuzz: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  },
);
