/**
 * The stack under test: the real servers (tools/infra), a database, Kafka namespace, Redis prefix
 * and JWT secret of this run's own (as the e2e suite's global setup does), and the five services
 * as processes (tools/scripts/lib/services.mjs) on ports the OS says are free.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { cpuSecondsOf, ResourceMonitor, rssOf } from './proc';
import { sleep } from './stats';

export const ROOT = path.resolve(__dirname, '../..');

export type ServiceName = 'intake' | 'assignment' | 'supervision' | 'metrics' | 'gateway';

interface ServiceHandle {
  name: string;
  child: ChildProcess;
  env: Record<string, string>;
  logFile?: string;
}

interface ServicesModule {
  SERVICES: { name: ServiceName; port: number; migrates: boolean }[];
  migrateAll(root: string, shared: Record<string, string>, log: (m: string) => void): Promise<void>;
  waitUntilReady(handle: ServiceHandle, port: number, timeoutMs?: number): Promise<void>;
  stopService(handle: ServiceHandle, graceMs?: number): Promise<void>;
  freeStackPorts(): Promise<Record<ServiceName, number>>;
  serviceEnv(name: string, ports: Record<string, number>, shared: Record<string, string>): Record<string, string>;
  serviceNodeOptions(...more: (string | undefined)[]): string;
}

interface InfraModule {
  ensureInfrastructure(options: { root: string; log: (m: string) => void }): Promise<{ kafka: { brokers: string[] } }>;
}

// SWC compiles this file to CommonJS; Node 20.19+ lets require() load these ES modules.
const load = <T>(file: string): Promise<T> => import(path.join(ROOT, file)) as Promise<T>;

export interface Running {
  key: string;
  name: ServiceName;
  port: number;
  handle: ServiceHandle;
}

export interface StackOptions {
  log: (message: string) => void;
  partitions: number;
  monitor: ResourceMonitor;
  runId: string;
  /** Run the services from their TypeScript sources (as `npm start`), not compiled as the images run them. */
  fromSource: boolean;
}

export function adminUrl(): string {
  return process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export function databaseUrl(database: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

export class Stack {
  readonly database = `hotline_bench_${process.pid}`;
  readonly namespace = `bench.${Date.now().toString(36)}.`;
  readonly jwtSecret = `bench-only-secret-${randomBytes(16).toString('hex')}`;
  readonly logDir: string;
  readonly profileDir: string;
  readonly buildDir: string;
  readonly running = new Map<string, Running>();
  ports: Record<ServiceName, number>;
  brokers: string[] = [];
  shared: Record<string, string> = {};
  pool: Pool;
  redis: Redis;
  admin: Admin;
  kafka: Kafka;
  private services: ServicesModule;
  private readonly tokens = new Map<string, { token: string; at: number }>();

  private constructor(private readonly options: StackOptions) {
    this.logDir = path.join(ROOT, '.local', 'bench', options.runId, 'logs');
    this.profileDir = path.join(ROOT, '.local', 'bench', options.runId, 'profiles');
    this.buildDir = path.join(ROOT, '.local', 'bench', options.runId, 'build');
  }

  get url(): string {
    return databaseUrl(this.database);
  }

  get gatewayUrl(): string {
    return `http://127.0.0.1:${this.ports.gateway}`;
  }

  get redisPrefix(): string {
    return `${this.namespace}redis:`;
  }

  wire(topic: string): string {
    return this.namespace + topic;
  }

  static async up(options: StackOptions): Promise<Stack> {
    const stack = new Stack(options);
    await stack.init();
    return stack;
  }

  private async init(): Promise<void> {
    const { log } = this.options;
    const infra = await load<InfraModule>('tools/infra/index.mjs');
    this.services = await load<ServicesModule>('tools/scripts/lib/services.mjs');
    const servers = await infra.ensureInfrastructure({ root: ROOT, log: () => undefined });
    this.brokers = servers.kafka.brokers;

    const admin = new Pool({ connectionString: adminUrl(), max: 1 });
    await admin.query(`DROP DATABASE IF EXISTS ${this.database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${this.database}`);
    await admin.end();

    this.shared = {
      DATABASE_URL: this.url,
      KAFKA_BROKERS: this.brokers.join(','),
      KAFKA_NAMESPACE: this.namespace,
      KAFKA_PARTITIONS: String(this.options.partitions),
      REDIS_KEY_PREFIX: this.redisPrefix,
      NODE_ENV: 'test',
      JWT_SECRET: this.jwtSecret,
      DEMO_SEED: 'true',
      ACCESS_TOKEN_TTL_SECONDS: '3600',
    };
    fs.mkdirSync(this.logDir, { recursive: true });
    const started = Date.now();
    await this.services.migrateAll(ROOT, this.shared, () => undefined);
    log(`database ${this.database} migrated in ${((Date.now() - started) / 1000).toFixed(1)} s; Kafka namespace ${this.namespace}`);

    this.pool = new Pool({ connectionString: this.url, max: 6, application_name: 'hotline-bench' });
    this.redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: false, maxRetriesPerRequest: 3 });
    this.kafka = new Kafka({ clientId: 'hotline-bench', brokers: this.brokers, logLevel: logLevel.NOTHING });
    this.admin = this.kafka.admin();
    await this.admin.connect();

    if (!this.options.fromSource) {
      const b0 = Date.now();
      for (const s of this.services.SERVICES) await this.build(s.name);
      log(`services compiled as their images are (tools/deploy/build-service.mjs) in ${((Date.now() - b0) / 1000).toFixed(1)} s`);
    }
    this.ports = await this.services.freeStackPorts();
    const t0 = Date.now();
    for (const s of this.services.SERVICES) this.launch(s.name, s.name, this.ports[s.name]);
    await Promise.all([...this.running.values()].map((r) => this.ready(r)));
    log(`five services ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (gateway ${this.gatewayUrl}, logs ${path.relative(ROOT, this.logDir)})`);
  }

  private envFor(name: ServiceName, key: string, port: number, extra: Record<string, string>): Record<string, string> {
    const env: Record<string, string> = { ...this.services.serviceEnv(name, this.ports, this.shared), PORT: String(port), ...extra };
    const hook = path.join(__dirname, 'profiler-hook.js');
    env.NODE_OPTIONS = [this.serviceNodeOptions(), `--require ${hook}`].join(' ');
    env.BENCH_PROFILE_DIR = this.profileDir;
    env.BENCH_PROFILE_LABEL = key.replace(/[^a-z0-9-]/gi, '-');
    return env;
  }

  /**
   * The services' node options as their images set them (services.mjs SERVICE_NODE_OPTIONS, a heap
   * limit), then the caller's NODE_OPTIONS; BENCH_SERVICE_NODE_OPTIONS, when set, replaces the
   * images' (set it empty to run without a heap limit).
   */
  serviceNodeOptions(): string {
    const own = process.env.BENCH_SERVICE_NODE_OPTIONS;
    return own === undefined ? this.services.serviceNodeOptions(process.env.NODE_OPTIONS) : [process.env.NODE_OPTIONS, own].filter(Boolean).join(' ');
  }

  /** Compiles a service the way its Dockerfile does, into this run's build directory. */
  private build(name: ServiceName): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(ROOT, 'tools/deploy/build-service.mjs'), name, path.join(this.buildDir, name)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout?.on('data', (d) => (output += d));
      child.stderr?.on('data', (d) => (output += d));
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`building ${name} failed (${code}):\n${output}`))));
    });
  }

  /**
   * Starts a service as services.mjs's startService does (same node arguments and environment),
   * but with its output going straight into its log file: piped through this process, a busy
   * benchmark would fill the pipe and block the service's synchronous logger (pino's
   * atomic-sleep showed in the profiles), and the buffered lines would count in its memory.
   */
  private launch(name: ServiceName, key: string, port: number, extra: Record<string, string> = {}): Running {
    const logFile = path.join(this.logDir, `${key.replace(/[^a-z0-9-]/gi, '-')}.log`);
    const fd = fs.openSync(logFile, 'a');
    const env = this.envFor(name, key, port, extra);
    // Compiled (the default): `node --enable-source-maps main.js`, the images' entry point; packages
    // resolve from the workspace's node_modules above the build directory.
    const args = this.options.fromSource
      ? ['--enable-source-maps', '-r', '@swc-node/register', path.join(ROOT, 'apps', name, 'src', 'main.ts')]
      : ['--enable-source-maps', path.join(this.buildDir, name, 'main.js')];
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'), KAFKAJS_NO_PARTITIONER_WARNING: '1', ...env },
      stdio: ['ignore', fd, fd],
    });
    fs.closeSync(fd);
    const handle: ServiceHandle = { name, child, env, logFile };
    const running = { key, name, port, handle };
    this.running.set(key, running);
    this.options.monitor.track(key, handle.child.pid);
    return running;
  }

  private ready(running: Running, timeoutMs = 180_000): Promise<void> {
    return this.services.waitUntilReady(running.handle, running.port, timeoutMs);
  }

  /** Starts a service (or another replica of one, under its own key and a free port) and waits until it is ready. */
  async start(name: ServiceName, key: string = name, extra: Record<string, string> = {}, port?: number): Promise<Running> {
    if (this.running.has(key)) throw new Error(`${key} is already running`);
    // A service under its own name keeps the port the gateway forwards to; another replica gets a free one.
    const free = port ?? (key === name ? this.ports[name] : (await this.services.freeStackPorts())[name]);
    const running = this.launch(name, key, free, extra);
    await this.ready(running);
    return running;
  }

  /** Graceful stop (SIGTERM: consumers commit, relays finish). */
  async stop(key: string): Promise<void> {
    const running = this.running.get(key);
    if (!running) return;
    this.options.monitor.untrack(key);
    await this.services.stopService(running.handle, 20_000);
    this.running.delete(key);
  }

  /** Stops a service and starts it again on the same port (the gateway keeps forwarding to it). */
  async restart(key: ServiceName, extra: Record<string, string> = {}): Promise<Running> {
    const port = this.running.get(key)?.port ?? this.ports[key];
    await this.stop(key);
    return this.start(key, key, extra, port);
  }

  pidOf(key: string): number | undefined {
    return this.running.get(key)?.handle.child.pid;
  }

  /** An access token of a demo user, from the gateway's login (kept for half an hour). */
  async token(username: string): Promise<string> {
    const known = this.tokens.get(username);
    if (known && Date.now() - known.at < 30 * 60_000) return known.token;
    const answer = await fetch(`${this.gatewayUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: 'Demo@12333' }),
    });
    if (answer.status !== 200) throw new Error(`login of ${username}: ${answer.status} ${await answer.text()}`);
    const { accessToken } = (await answer.json()) as { accessToken: string };
    this.tokens.set(username, { token: accessToken, at: Date.now() });
    return accessToken;
  }

  /**
   * Runs `work` with the V8 CPU profiler on in the given services (bench/support/profiler-hook.js)
   * and returns the profile files written, one per service.
   */
  async profiled<T>(keys: string[], work: () => Promise<T>): Promise<{ result: T; files: Record<string, string> }> {
    const before = new Map<string, Set<string>>();
    const list = () => (fs.existsSync(this.profileDir) ? new Set(fs.readdirSync(this.profileDir)) : new Set<string>());
    const pids = keys.map((k) => [k, this.pidOf(k)] as const).filter((e): e is readonly [string, number] => !!e[1]);
    for (const [key] of pids) before.set(key, list());
    for (const [, pid] of pids) process.kill(pid, 'SIGWINCH');
    await sleep(200);
    const result = await work();
    for (const [, pid] of pids) process.kill(pid, 'SIGWINCH');
    const files: Record<string, string> = {};
    const deadline = Date.now() + 30_000;
    while (Object.keys(files).length < pids.length && Date.now() < deadline) {
      await sleep(250);
      for (const name of list()) {
        for (const [key, pid] of pids) {
          if (!files[key] && name.includes(`-${pid}-`) && name.endsWith('.cpuprofile') && !before.get(key)?.has(name)) {
            files[key] = path.join(this.profileDir, name);
          }
        }
      }
    }
    return { result, files };
  }

  /**
   * Runs a command of a service (`main.js <command>`, e.g. metrics' `replay`) to its end, with
   * the service's environment; with `profile`, under --cpu-prof (written when it exits).
   */
  async runCommand(
    name: ServiceName,
    command: string,
    options: { profile?: boolean; extra?: Record<string, string> } = {},
  ): Promise<{ code: number | null; ms: number; cpuSeconds: number; peakRssMb: number; profile?: string; output: string }> {
    const key = `${name} ${command}`;
    const env = this.envFor(name, key, this.ports[name], options.extra ?? {});
    // As the image runs it: the services' node options, without the signal-driven profiler hook.
    env.NODE_OPTIONS = this.serviceNodeOptions();
    const profileDir = path.join(this.profileDir, `${name}-${command}`);
    const prof = options.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=500'] : [];
    const args = this.options.fromSource
      ? [...prof, '--enable-source-maps', '-r', '@swc-node/register', path.join(ROOT, 'apps', name, 'src', 'main.ts'), command]
      : [...prof, '--enable-source-maps', path.join(this.buildDir, name, 'main.js'), command];
    const t0 = Date.now();
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'), KAFKAJS_NO_PARTITIONER_WARNING: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.options.monitor.track(key, child.pid);
    let output = '';
    let cpuSeconds = 0;
    let peakRssBytes = 0;
    const sampler = setInterval(() => {
      const used = child.pid ? cpuSecondsOf(child.pid) : null;
      if (used !== null) cpuSeconds = used;
      // VmHWM: the process's peak, spikes between samples included.
      const rss = child.pid ? rssOf(child.pid) : null;
      if (rss) peakRssBytes = Math.max(peakRssBytes, rss.peak);
    }, 200);
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearInterval(sampler);
    this.options.monitor.untrack(key);
    const ms = Date.now() - t0;
    const written = fs.existsSync(profileDir) ? fs.readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile')) : [];
    return { code, ms, cpuSeconds, peakRssMb: Math.round(peakRssBytes / 2 ** 20), profile: written.length ? path.join(profileDir, written[written.length - 1]) : undefined, output };
  }

  /** Last resort (a second Ctrl-C): kills every service process at once. */
  killAll(): void {
    for (const r of this.running.values()) r.handle.child.kill('SIGKILL');
  }

  /** Stops every service; drops the database, the run's topics and Redis keys unless kept. */
  async down(keep: boolean): Promise<void> {
    await Promise.allSettled([...this.running.keys()].map((k) => this.stop(k)));
    await this.pool?.end().catch(() => undefined);
    if (!keep) {
      try {
        const topics = (await this.admin.listTopics()).filter((t) => t.startsWith(this.namespace));
        if (topics.length) await this.admin.deleteTopics({ topics });
        const groups = (await this.admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(this.namespace));
        if (groups.length) await this.admin.deleteGroups(groups).catch(() => undefined);
      } catch (err) {
        this.options.log(`could not delete the run's topics: ${(err as Error).message}`);
      }
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.redisPrefix}*`, 'COUNT', 1000);
        if (keys.length) await this.redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      const admin = new Pool({ connectionString: adminUrl(), max: 1 });
      await admin.query(`DROP DATABASE IF EXISTS ${this.database} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
    }
    await this.admin?.disconnect().catch(() => undefined);
    this.redis?.disconnect();
  }
}
