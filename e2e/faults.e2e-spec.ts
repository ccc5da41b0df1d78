/**
 * 故障演练（短）— the fault suite's short run inside `npm test`: 40 tickets through a stack of its
 * own while each service is SIGKILLed once, the broker and PostgreSQL restart once and nine poison
 * messages are injected; then every accepted ticket is checked in every service.
 *
 * It runs `tools/faults/run.ts --short` as a child process with servers of its own (its own
 * PostgreSQL cluster and Kafka broker on free ports, its own stack, namespace and Redis prefix):
 * killing and restarting things must not touch the stack the other e2e specs share. The seed is
 * printed; FAULT_SEED replays a run.
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from '@hotline/testing';

const root = path.resolve(__dirname, '..');

interface Report {
  ok: boolean;
  seed: number;
  faults: { kind: string; target: string; recoveredAt: number | null }[];
  poison: unknown[];
  workload: { accepted: number };
  checks: { lost: unknown[]; duplicated: unknown[]; wrongState: unknown[] };
  failures: string[];
  timings: { totalMs: number };
}

function runShortSuite(seed: number, reportFile: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', path.join(root, 'tools', 'faults', 'run.ts'), '--short', '--seed', String(seed), '--report', reportFile],
      { cwd: root, env: { ...process.env, SWC_NODE_PROJECT: path.join(root, 'tsconfig.json') }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const echo = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      process.stdout.write(chunk); // the run's progress and its table, as they come
    };
    child.stdout.on('data', echo);
    child.stderr.on('data', echo);
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

// The same run as a command: `npm run test:faults -- --short`.
describe('the fault suite, short run (故障演练)', () => {
  const seed = Number(process.env.FAULT_SEED) || randomInt(1, 2 ** 31);
  const reportFile = path.join(os.tmpdir(), `hotline-faults-e2e-${process.pid}.json`);

  afterAll(async () => {
    fs.rmSync(reportFile, { force: true });
    // The shared e2e stack must be as ready after this spec as before it.
    const ports = JSON.parse(process.env.E2E_SERVICE_PORTS ?? '{}') as Record<string, number>;
    for (const [name, port] of Object.entries(ports)) {
      await waitFor(
        `the shared stack's ${name} to be ready`,
        async () => (await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(3_000) })).ok,
        { timeoutMs: 60_000, intervalMs: 500 },
      );
    }
  });

  it(
    'loses, duplicates and misplaces nothing while services are killed, the broker and the database restart and poison is injected',
    async () => {
      const { code, output } = await runShortSuite(seed, reportFile);
      expect(fs.existsSync(reportFile) ? '' : `no report (exit ${code}):\n${output.slice(-3_000)}`).toBe('');
      const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as Report;
      // One of each fault kind, every one recovered from.
      const kinds = report.faults.map((f) => (f.kind === 'kill' ? `kill ${f.target}` : f.kind));
      expect([...new Set(kinds)].sort()).toEqual(
        ['kafka', 'kill assignment', 'kill gateway', 'kill intake', 'kill metrics', 'kill supervision', 'poison', 'postgres'].sort(),
      );
      expect(report.faults.filter((f) => f.recoveredAt === null)).toEqual([]);
      expect(report.poison).toHaveLength(9);
      expect(report.workload.accepted).toBeGreaterThan(20);
      const { lost, duplicated, wrongState } = report.checks;
      expect({ lost: lost.length, duplicated: duplicated.length, wrongState: wrongState.length }).toEqual({ lost: 0, duplicated: 0, wrongState: 0 });
      expect(report.failures).toEqual([]);
      expect(code).toBe(0);
    },
    7 * 60_000,
  );
});
