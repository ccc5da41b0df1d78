import path from 'node:path';
import { Client } from 'pg';
import { call, tokenOf } from './support/gateway-client';

/**
 * Hostile input, the short run (issue #9): every HTTP endpoint gets a handful of requests that are
 * invalid by construction — wrong types, boundary and impossible values, huge and deeply nested
 * bodies, SQL and script fragments, invalid UTF-8, wrong content types, forged tokens — and every
 * one must be refused with a 4xx and the API's error body, with no 5xx, no dropped connection, no
 * service down and no stored row changed. The long run with its own stack is `npm run test:fuzz`.
 *
 * The fuzz tool lives in tools/fuzz (it reads the services' DTO metadata to aim its mutations) and
 * is loaded at run time by path, as the global setup loads the stack scripts.
 */
type FuzzRun = typeof import('../tools/fuzz/fuzz-run');
type Fingerprints = typeof import('../tools/fuzz/fingerprint');
type Catalogue = typeof import('../tools/fuzz/endpoints');

const root = path.resolve(__dirname, '..');
const load = <T>(file: string): Promise<T> => import(path.join(root, file)) as Promise<T>;

const PER_ENDPOINT = Number(process.env.FUZZ_E2E_REQUESTS ?? 15);

describe('hostile input (fuzz over every endpoint)', () => {
  let db: Client;

  beforeAll(async () => {
    db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
  });

  afterAll(async () => {
    await db.end();
  });

  it('refuses every hostile request with a clear 4xx, keeps every service up and the stored data unchanged', async () => {
    const [fuzz, prints, catalogue] = await Promise.all([
      load<FuzzRun>('tools/fuzz/fuzz-run'),
      load<Fingerprints>('tools/fuzz/fingerprint'),
      load<Catalogue>('tools/fuzz/endpoints'),
    ]);
    const seed = fuzz.seedFrom(process.env);
    const out = (text: string) => process.stdout.write(`${text}\n`);
    out(`fuzz (e2e): seed ${seed}, ${PER_ENDPOINT} requests per endpoint — repeat with FUZZ_SEED=${seed}`);

    const ports = JSON.parse(process.env.E2E_SERVICE_PORTS ?? '{}');
    const target = { gatewayPort: ports.gateway, servicePorts: ports };
    const tokens: Record<string, string> = {};
    for (const [caller, username] of Object.entries(catalogue.DEMO_USERS)) tokens[caller] = await tokenOf(username);
    const key = await call<{ key: string }>('POST', '/api/admin/channel-keys', { name: 'fuzz (e2e)', channel: 'web', ratePerMinute: 10_000 }, { token: tokens.admin });
    expect(key.status).toBe(201);

    // Other specs' events may still be landing: compare once the data has stopped moving; a table
    // that keeps moving on its own (a timer firing) cannot be pinned on the fuzz and is named instead.
    const before = await prints.settledFingerprint(db, { gapMs: 1_500, timeoutMs: 20_000 });
    const result = await fuzz.fuzzAll(
      target,
      { tokens, channelKey: key.body.key, jwtSecret: process.env.E2E_JWT_SECRET },
      { seed, perEndpoint: PER_ENDPOINT, concurrency: 3 },
    );
    const after = await prints.settledFingerprint(db, { gapMs: 1_500, timeoutMs: 20_000 });
    const data = await prints.compareSettled(db, before, after);
    const ready = await fuzz.readiness(target);
    fuzz.attachLogLines(result.failures, process.env.E2E_LOG_DIR);

    out(fuzz.formatTable(result));
    out(fuzz.formatBreakdown(result));
    if (result.failures.length) out(fuzz.formatFailures(result.failures, 15));
    out(`fuzz (e2e): data ${data.changes.length ? 'CHANGED' : 'unchanged'} in ${data.compared} tables${data.skipped.length ? `; moving on their own, not compared: ${data.skipped.join(', ')}` : ''}`);
    out(`fuzz (e2e): ${result.stats.reduce((n, s) => n + s.tried, 0)} requests in ${(result.ms / 1000).toFixed(1)} s, seed ${seed}`);

    const problems = [
      ...(result.stats.length === catalogue.ENDPOINTS.length ? [] : [`fuzzed ${result.stats.length} of ${catalogue.ENDPOINTS.length} endpoints`]),
      ...result.stats.filter((s) => s.tried < PER_ENDPOINT).map((s) => `${s.label}: only ${s.tried} requests planned`),
      ...result.failures.map((f) => `${f.label} ${f.kind} (${f.detail}): ${f.problem}`),
      ...Object.entries(ready).filter(([, r]) => r !== 'ready').map(([service, r]) => `${service} after the run: ${r}`),
      ...data.changes.map((c) => `stored data changed: ${c.table} ${c.before} → ${c.after} rows, e.g. ${c.added[0] ?? '(a row removed)'}`),
    ];
    expect(problems).toEqual([]);
  }, 240_000);
});
