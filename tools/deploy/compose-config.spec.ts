import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { ROOT, SERVICES } from './lib/checks';

// Docker Compose itself reads docker-compose.yml, the way `docker compose up` would: interpolation
// with the variables of .env.example, merge keys, the schema, references between services.
// Rendering needs the compose binary only, no engine: `npm test` provides it
// (tools/scripts/lib/compose.mjs, HOTLINE_COMPOSE_BIN). Without one this fails, never skips.

const ENV_EXAMPLE = path.join(ROOT, '.env.example');
const COMPOSE_FILE = path.join(ROOT, 'docker-compose.yml');
/** What an operator exports before `docker compose up` (deploy/README.md), in the right shapes. */
const SECRETS = {
  JWT_SECRET: 'j'.repeat(40),
  CALLER_HASH_KEY: 'c'.repeat(20),
  PII_KEYS: `v1:${Buffer.alloc(32, 7).toString('base64')}`,
};

interface Rendered {
  services: Record<string, { image?: string; build?: { context: string; dockerfile: string }; environment?: Record<string, string | null>; profiles?: string[] }>;
}

function composeBinary(): string {
  if (process.env.HOTLINE_COMPOSE_BIN) return process.env.HOTLINE_COMPOSE_BIN;
  const found = spawnSync(process.execPath, [path.join(ROOT, 'tools/scripts/lib/compose.mjs'), '--find'], { encoding: 'utf8' });
  if (found.status === 0) return found.stdout.trim();
  throw new Error(
    'No Docker Compose v2 binary: `docker compose config` cannot run. `npm test` fetches one; ' +
      'otherwise run `node tools/scripts/lib/compose.mjs` (fetches it into .local/tools) or set HOTLINE_COMPOSE_BIN.',
  );
}

describe('docker compose config', () => {
  let compose: string;
  let dir: string;
  let secretsFile: string;

  beforeAll(() => {
    compose = composeBinary();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-compose-'));
    secretsFile = path.join(dir, 'secrets.env');
    fs.writeFileSync(secretsFile, Object.entries(SECRETS).map(([k, v]) => `${k}=${v}\n`).join(''));
  });
  afterAll(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs compose on a file with the given env files and nothing from this process's environment. */
  function run(file: string, envFiles: string[], args: string[]) {
    const result = spawnSync(compose, ['-f', file, '--project-directory', path.dirname(file), ...envFiles.flatMap((f) => ['--env-file', f]), ...args], {
      encoding: 'utf8',
      // Variables of the environment win over env files: give compose none of ours.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir() },
      timeout: 60_000,
    });
    if (result.error) throw new Error(`${compose}: ${result.error.message}`);
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  /** A copy of docker-compose.yml in the temporary directory with one edit, which must apply. */
  function brokenCopy(name: string, from: string, to: string): string {
    const text = fs.readFileSync(COMPOSE_FILE, 'utf8');
    if (!text.includes(from)) throw new Error(`docker-compose.yml: nothing to replace for ${from}`);
    const file = path.join(dir, name);
    fs.writeFileSync(file, text.replace(from, to));
    return file;
  }

  it('refuses to render with .env.example alone: the production secrets must be set', () => {
    const result = run(COMPOSE_FILE, [ENV_EXAMPLE], ['config', '-q']);
    expect(result.status).not.toBe(0);
    // Compose names the first missing one it meets, in no fixed order.
    expect(result.stderr).toMatch(/required variable (JWT_SECRET|CALLER_HASH_KEY|PII_KEYS) is missing a value: set \1/);
  });

  it.each(Object.keys(SECRETS))('refuses to render without %s, the other secrets set, and names it', (missing) => {
    const others = path.join(dir, `without-${missing}.env`);
    fs.writeFileSync(
      others,
      Object.entries(SECRETS)
        .filter(([k]) => k !== missing)
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
    );
    const result = run(COMPOSE_FILE, [ENV_EXAMPLE, others], ['config', '-q']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(new RegExp(`required variable ${missing} is missing a value: set ${missing}`));
  });

  it('validates with .env.example and the secrets set (exit 0)', () => {
    const result = run(COMPOSE_FILE, [ENV_EXAMPLE, secretsFile], ['config', '-q']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('renders every service and its migration, built from its Dockerfile, with Kafka, PostgreSQL and Redis', () => {
    const result = run(COMPOSE_FILE, [ENV_EXAMPLE, secretsFile], ['config', '--format', 'json']);
    expect(result.status).toBe(0);
    const { services } = JSON.parse(result.stdout) as Rendered;
    const apps = Object.keys(SERVICES);
    expect(Object.keys(services).sort()).toEqual(['kafka', 'postgres', 'redis', ...apps, ...apps.map((s) => `${s}-migrate`)].sort());
    for (const [service, port] of Object.entries(SERVICES)) {
      for (const name of [service, `${service}-migrate`]) {
        expect(services[name].build).toEqual({ context: ROOT, dockerfile: `apps/${service}/Dockerfile` });
        expect(services[name].image).toBe(`hotline/${service}:local`);
        expect(services[name].environment).toMatchObject({ JWT_SECRET: SECRETS.JWT_SECRET, JWT_PREVIOUS_SECRET: '', LOG_LEVEL: 'log', NODE_ENV: 'production' });
      }
      expect(services[service].environment?.PORT).toBe(String(port));
    }
    expect(services.intake.environment).toMatchObject({ CALLER_HASH_KEY: SECRETS.CALLER_HASH_KEY, PII_KEYS: SECRETS.PII_KEYS });
    expect(services.supervision.environment?.OFFICE_HOURS).toBe('09:00-12:00,13:30-17:30');
  });

  it('adds Prometheus with the monitoring profile only', () => {
    const plain = run(COMPOSE_FILE, [ENV_EXAMPLE, secretsFile], ['config', '--services']);
    const monitoring = run(COMPOSE_FILE, [ENV_EXAMPLE, secretsFile], ['--profile', 'monitoring', 'config', '--services']);
    expect([plain.status, monitoring.status]).toEqual([0, 0]);
    expect(plain.stdout.split('\n')).not.toContain('prometheus');
    expect(monitoring.stdout.split('\n')).toContain('prometheus');
  });

  it('reads .env.example as Node does: every value, no comment taken for a value', () => {
    const probe = path.join(dir, 'env-probe.yml');
    fs.writeFileSync(probe, `services:\n  probe:\n    image: probe\n    env_file: [${JSON.stringify(ENV_EXAMPLE)}]\n`);
    const result = run(probe, [], ['config', '--format', 'json']);
    expect(result.status).toBe(0);
    const read = (JSON.parse(result.stdout) as Rendered).services.probe.environment;
    expect(read).toEqual(parseEnv(fs.readFileSync(ENV_EXAMPLE, 'utf8')));
    expect(Object.entries(read ?? {}).filter(([, v]) => v?.startsWith('#'))).toEqual([]);
  });

  it('fails a broken copy: a misspelt key', () => {
    const file = brokenCopy('misspelt.yml', '    depends_on:\n      <<: *infra-ready\n      intake-migrate:', '    depend_on:\n      <<: *infra-ready\n      intake-migrate:');
    const result = run(file, [ENV_EXAMPLE, secretsFile], ['config', '-q']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/services\.intake Additional property depend_on is not allowed/);
  });

  it('fails a broken copy: waiting for a service that does not exist', () => {
    const file = brokenCopy('unknown-service.yml', '      metrics: { condition: service_healthy }', '      metric: { condition: service_healthy }');
    const result = run(file, [ENV_EXAMPLE, secretsFile], ['config', '-q']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/service "gateway" depends on undefined service "metric"/);
  });
});
