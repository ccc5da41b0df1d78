import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { freePort } from '@hotline/testing';

// The image recipe without a Docker engine: the Dockerfile's build stage runs
// tools/deploy/build-service.mjs, its runtime stage runs `node main.js` on the packages of the
// pruned lock. This builds intake the same way, gives the output only the packages its lock names
// (symlinks into the workspace's node_modules, loaded with --preserve-symlinks so nothing else is
// reachable), migrates a fresh database with it and serves the health endpoints.
const root = path.resolve(__dirname, '../..');
const service = 'intake';
const serverUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `deploy_build_test_${randomBytes(3).toString('hex')}`;
const databaseUrl = Object.assign(new URL(serverUrl), { pathname: `/${database}` }).toString();
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-build-'));

interface Lock {
  packages: Record<string, { version?: string }>;
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** node_modules of the output holding exactly the top-level packages of its pruned lock. */
function linkPrunedModules(lock: Lock): number {
  const topLevel = Object.keys(lock.packages).filter((key) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(key));
  for (const key of topLevel) {
    const link = path.join(outDir, key);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(path.join(root, key), link, 'dir');
  }
  return topLevel.length;
}

function runtimeEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  // What the image sets, and the secrets production insists on.
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: randomBytes(24).toString('hex'),
    CALLER_HASH_KEY: randomBytes(12).toString('hex'),
    PII_KEYS: `v1:${randomBytes(32).toString('base64')}`,
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    ...extra,
  };
}

function node(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--preserve-symlinks', '--enable-source-maps', ...args], {
    cwd: outDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function collect(child: ChildProcess): () => string {
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  return () => output;
}

/** Removes the topics the service created under its test namespace. */
async function deleteTopics(namespace: string): Promise<void> {
  const admin = new Kafka({ brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(namespace));
    if (topics.length) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

describe('the production build of a service (tools/deploy/build-service.mjs)', () => {
  let lock: Lock;

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [path.join(root, 'tools/deploy/build-service.mjs'), service, outDir], {
      cwd: root,
      encoding: 'utf8',
    });
    if (build.status !== 0) throw new Error(`build failed: ${build.stderr}${build.stdout}`);
    lock = JSON.parse(fs.readFileSync(path.join(outDir, 'package-lock.json'), 'utf8')) as Lock;
    linkPrunedModules(lock);
    await admin((c) => c.query(`CREATE DATABASE "${database}"`));
  });

  afterAll(async () => {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  it('holds compiled JavaScript of the service and the shared libraries only', () => {
    const files = fs.readdirSync(outDir, { recursive: true, encoding: 'utf8' }).filter((f) => !f.startsWith('node_modules'));
    expect(files).toContain('main.js');
    expect(files).toContain(path.join('apps', service, 'src', 'main.js'));
    expect(files).toContain(path.join('libs', 'contracts', 'src', 'reference', 'chongqing-regions.json'));
    expect(files.filter((f) => f.endsWith('.ts'))).toEqual([]);
    expect(files.filter((f) => /spec\.js$|libs\/testing|apps\/(?!intake)/.test(f))).toEqual([]);
  });

  it('locks only the packages production code loads, with the workspace versions', () => {
    const workspaceLock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as Lock;
    const names = Object.keys(lock.packages);
    for (const devOnly of ['node_modules/jest', 'node_modules/@swc/core', 'node_modules/vite', 'node_modules/antd', 'node_modules/react']) {
      expect(names).not.toContain(devOnly);
    }
    for (const needed of ['node_modules/@nestjs/core', 'node_modules/@nestjs/platform-express', 'node_modules/pg', 'node_modules/kafkajs']) {
      expect(lock.packages[needed]?.version).toBe(workspaceLock.packages[needed].version);
    }
  });

  it('migrates a fresh database with `node main.js migrate`', async () => {
    const child = node(['main.js', 'migrate'], runtimeEnv({}));
    const output = collect(child);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ code, output: output() }).toMatchObject({ code: 0 });
    const migrations = await admin(async () => {
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ name: string }>('SELECT name FROM intake.schema_migration ORDER BY id');
        return rows.map((r) => r.name);
      } finally {
        await client.end();
      }
    });
    const sources = fs.readdirSync(path.join(root, 'apps', service, 'src', 'database', 'migrations'));
    expect(migrations).toHaveLength(sources.filter((f) => f.endsWith('.ts') && !f.includes('spec')).length);
  });

  it('serves /health/live and becomes ready with `node main.js`', async () => {
    const port = await freePort();
    const suffix = randomBytes(3).toString('hex');
    const child = node(
      ['main.js'],
      runtimeEnv({
        PORT: String(port),
        HOST: '127.0.0.1',
        KAFKA_NAMESPACE: `test.deploy.${suffix}.`,
        REDIS_KEY_PREFIX: `test:deploy:${suffix}:`,
      }),
    );
    const output = collect(child);
    try {
      const answer = async (probe: string) => {
        const deadline = Date.now() + 40_000;
        while (Date.now() < deadline) {
          if (child.exitCode !== null) throw new Error(`${service} exited (${child.exitCode}):\n${output()}`);
          const status = await fetch(`http://127.0.0.1:${port}${probe}`, { signal: AbortSignal.timeout(2_000) }).then(
            (r) => r.status,
            () => 0,
          );
          if (status === 200) return status;
          await new Promise((r) => setTimeout(r, 250));
        }
        throw new Error(`${probe} did not answer 200 within 40 s:\n${output()}`);
      };
      await expect(answer('/health/live')).resolves.toBe(200);
      await expect(answer('/health/ready')).resolves.toBe(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.on('exit', resolve)));
      await deleteTopics(`test.deploy.${suffix}.`);
    }
  });
});
