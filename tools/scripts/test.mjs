#!/usr/bin/env node
// `npm test`: install → PostgreSQL, Redis, Kafka → lint (with module boundaries) → type check
// → unit, integration and e2e suites → one closing count line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureComposeCli } from './lib/compose.mjs';
import { buildConsole, ensureChromium } from './lib/console.mjs';
import { ensureDependencies } from './lib/install.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const log = (m) => console.log(`\x1b[1m[test]\x1b[0m ${m}`);
const resultsDir = path.join(root, '.local', 'test-results');
const bin = (pkg, file) => path.join(root, 'node_modules', pkg, file);
const env = { ...process.env, NX_DAEMON: 'false', KAFKAJS_NO_PARTITIONER_WARNING: '1', FORCE_COLOR: process.env.CI ? '0' : '1' };

function run(label, args) {
  log(`${label}…`);
  const started = Date.now();
  const result = spawnSync(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
  log(`${label}: ${result.status === 0 ? 'ok' : `FAILED (exit ${result.status ?? result.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return result.status === 0;
}

/** Runs one Jest tier and reads its counts from the JSON report. */
function jestTier(tier, extraArgs = []) {
  const outputFile = path.join(resultsDir, `${tier}.json`);
  fs.rmSync(outputFile, { force: true });
  const ok = run(`${tier} tests`, [
    bin('jest', 'bin/jest.js'),
    '-c',
    `jest.${tier}.config.js`,
    '--ci',
    '--json',
    `--outputFile=${outputFile}`,
    ...extraArgs,
  ]);
  if (!fs.existsSync(outputFile)) return { passed: 0, failed: 1, skipped: 0 }; // Jest itself crashed
  const report = JSON.parse(fs.readFileSync(outputFile, 'utf8'));
  const failedSuites = report.numRuntimeErrorTestSuites ?? 0; // suites that failed to load count too
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + failedSuites + (ok || report.numFailedTests || failedSuites ? 0 : 1),
    skipped: report.numPendingTests + (report.numTodoTests ?? 0),
  };
}

async function main() {
  ensureDependencies(root, log);
  fs.mkdirSync(resultsDir, { recursive: true });
  const infra = await import('../infra/index.mjs');
  await infra.ensureInfrastructure({ root, log: (m) => console.log(`[infra] ${m}`) });

  const checks = [];
  // The module-boundary rule needs Nx's project graph; computing it is what `show projects` does.
  const graph = run('project graph', [bin('nx', 'dist/bin/nx.js'), 'show', 'projects']);
  checks.push({ name: 'lint', ok: graph && run('lint', [bin('eslint', 'bin/eslint.js'), '.', '--max-warnings', '0']) });
  checks.push({ name: 'typecheck', ok: run('type check', [bin('typescript', 'bin/tsc'), '-p', 'tsconfig.json', '--noEmit']) });
  // The console is a browser app with its own compiler settings (DOM, JSX, bundler resolution).
  checks.push({ name: 'console types', ok: run('console type check', [bin('typescript', 'bin/tsc'), '-p', 'apps/console/tsconfig.json']) });
  let consoleBuilt = true;
  try {
    buildConsole(root, log);
  } catch (err) {
    log(err.message);
    consoleBuilt = false;
  }
  checks.push({ name: 'console build', ok: consoleBuilt });
  ensureChromium(log);
  // `docker compose config` in the unit tier (tools/deploy/compose-config.spec.ts) needs only the
  // compose binary; without one, that spec fails saying so.
  await ensureComposeCli(root, log).then(
    (binary) => (env.HOTLINE_COMPOSE_BIN = binary),
    (err) => log(`docker compose is not available: ${err.message}`),
  );

  const tiers = [
    ['unit', jestTier('unit')],
    ['integration', jestTier('int', ['--runInBand'])],
    ['e2e', jestTier('e2e', ['--runInBand'])],
  ];

  const total = { passed: 0, failed: 0, skipped: 0 };
  console.log('');
  for (const check of checks) {
    console.log(`  ${check.name.padEnd(14)} ${check.ok ? 'passed' : 'FAILED'}`);
    total[check.ok ? 'passed' : 'failed'] += 1;
  }
  for (const [name, counts] of tiers) {
    console.log(`  ${name.padEnd(14)} ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
    for (const key of Object.keys(total)) total[key] += counts[key];
  }
  console.log(`Summary: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  return total.failed === 0 && total.passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[test] ERROR: ${err.stack ?? err.message}`);
    console.log('Summary: 0 passed, 1 failed');
    process.exit(1);
  },
);
