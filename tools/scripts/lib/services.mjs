// Running the services as processes: migrate, start, wait until ready, stop. Used by
// `npm start`, by the e2e suite's global setup, and by anything else that needs the stack.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** Start order: the gateway last, once what it forwards to is up. */
export const SERVICES = [
  { name: 'intake', port: 3001, migrates: true },
  { name: 'assignment', port: 3002, migrates: true },
  { name: 'supervision', port: 3003, migrates: true },
  { name: 'metrics', port: 3004, migrates: true },
  { name: 'gateway', port: 3000, migrates: true },
];

const COLOURS = { intake: 36, assignment: 33, supervision: 35, metrics: 32, gateway: 34 };

function nodeArgs(root, service, extra = []) {
  return ['--enable-source-maps', '-r', '@swc-node/register', path.join(root, 'apps', service, 'src', 'main.ts'), ...extra];
}

/**
 * Node options every service process runs with, here and in its image (the Dockerfiles' `ENV
 * NODE_OPTIONS`, tools/deploy/dockerfiles.mjs). Without a limit V8 sizes the old space for this
 * 24 GB machine (≈ 4 GB) and lets garbage pile up under load: 270–330 MB RSS at a live heap of
 * ≈ 55 MB. With a limit it collects sooner: ≤ 180 MB RSS, the pipeline within its run-to-run
 * spread (bench/README.md, "Memory"). An explicit NODE_OPTIONS comes after it and wins (the
 * cluster's ConfigMaps give 384/576 under their 512/768 MiB limits).
 */
export const SERVICE_NODE_OPTIONS = '--max-old-space-size=192';

/** NODE_OPTIONS of a service process: the services' own, then whatever the caller adds. */
export function serviceNodeOptions(...more) {
  return [SERVICE_NODE_OPTIONS, ...more].filter(Boolean).join(' ');
}

function baseEnv(root, env) {
  return {
    ...process.env,
    SWC_NODE_PROJECT: path.join(root, 'tsconfig.json'),
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    ...env,
    NODE_OPTIONS: serviceNodeOptions(process.env.NODE_OPTIONS, env?.NODE_OPTIONS),
  };
}

/** Ports of a stack shifted by `offset`, so a test stack never collides with `npm start`'s. */
export function stackPorts(offset = 0) {
  return Object.fromEntries(SERVICES.map((s) => [s.name, s.port + offset]));
}

/**
 * Ports the operating system says are free right now, one per service. A test stack uses these
 * so that nothing else listening on this machine (a demo left running, another checkout's run)
 * can make a service die with EADDRINUSE.
 */
export async function freeStackPorts() {
  const servers = [];
  try {
    for (let i = 0; i < SERVICES.length; i++) {
      const server = net.createServer();
      await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
      servers.push(server);
    }
    return Object.fromEntries(SERVICES.map((s, i) => [s.name, servers[i].address().port]));
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/**
 * The settings a test stack's services share: a database, Kafka namespace and Redis prefix of its
 * own (so runs beside each other never meet), a JWT secret of its own, demo users. Used by the
 * e2e suite's global setup, the fuzz run and the fault suite; `extra` adds or overrides.
 */
export function testStackSettings({ databaseUrl, brokers, namespace, jwtSecret }, extra = {}) {
  return {
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: brokers.join(','),
    KAFKA_NAMESPACE: namespace,
    REDIS_KEY_PREFIX: `${namespace}redis:`,
    NODE_ENV: 'test',
    JWT_SECRET: jwtSecret,
    DEMO_SEED: 'true',
    ...extra,
  };
}

/** Environment for each service of a stack: its port and the gateway's upstream URLs. */
export function serviceEnv(name, ports, shared) {
  const env = { ...shared, PORT: String(ports[name]) };
  if (name === 'gateway') {
    for (const upstream of ['intake', 'assignment', 'supervision', 'metrics']) {
      env[`${upstream.toUpperCase()}_URL`] = `http://127.0.0.1:${ports[upstream]}`;
    }
  }
  return env;
}

/** Runs every service's migrations (`main.ts migrate`), one after another. */
export async function migrateAll(root, shared, log) {
  for (const service of SERVICES.filter((s) => s.migrates)) {
    await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, nodeArgs(root, service.name, ['migrate']), {
        cwd: root,
        env: baseEnv(root, shared),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`${service.name} migrations failed (exit ${code}):\n${output}`)),
      );
    });
    log(`${service.name}: schema migrated`);
  }
}

/**
 * Starts one service. Its output goes to `logFile` if given, otherwise to this terminal with
 * a coloured `[name]` prefix on every line.
 */
export function startService(root, name, env, { logFile } = {}) {
  const child = spawn(process.execPath, nodeArgs(root, name), {
    cwd: root,
    env: baseEnv(root, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (logFile) {
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    const out = fs.createWriteStream(logFile, { flags: 'a' });
    child.stdout.pipe(out);
    child.stderr.pipe(out);
  } else {
    const prefix = `\x1b[${COLOURS[name] ?? 37}m[${name}]\x1b[0m `;
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream.on('data', (chunk) => {
        const lines = (partial + chunk.toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) process.stdout.write(prefix + line + '\n');
      });
    }
  }
  return { name, child, env, logFile };
}

/** The last lines a service wrote, so a failed start explains itself in CI output. */
export function logTail(handle, lines = 40) {
  if (!handle.logFile || !fs.existsSync(handle.logFile)) return '';
  const text = fs.readFileSync(handle.logFile, 'utf8').trimEnd().split('\n');
  return text.slice(-lines).join('\n');
}

function startFailure(handle, reason) {
  const tail = logTail(handle);
  return new Error(tail ? `${reason}; last lines of ${handle.logFile}:\n${tail}` : reason);
}

/** Resolves when the service's /health/ready answers 200; rejects if it exits or time runs out. */
export async function waitUntilReady(handle, port, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (handle.child.exitCode !== null) {
      await new Promise((r) => setTimeout(r, 300)); // let the log pipe drain
      throw startFailure(handle, `${handle.name} exited with code ${handle.child.exitCode}`);
    }
    try {
      const answer = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      if (answer.ok) return;
      last = await answer.text();
    } catch (err) {
      last = err.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw startFailure(handle, `${handle.name} not ready after ${timeoutMs / 1000}s: ${last}`);
}

/** SIGTERM (graceful: consumers commit, relays finish), then SIGKILL after `graceMs`. */
export async function stopService(handle, graceMs = 15_000) {
  const { child } = handle;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Migrates, then starts every service and waits until each is ready. */
export async function startStack(root, { shared, portOffset = 0, ports: chosen, logDir, log }) {
  await migrateAll(root, shared, log);
  const ports = chosen ?? stackPorts(portOffset);
  const handles = [];
  try {
    for (const service of SERVICES) {
      const handle = startService(root, service.name, serviceEnv(service.name, ports, shared), {
        logFile: logDir ? path.join(logDir, `${service.name}.log`) : undefined,
      });
      handles.push(handle);
    }
    await Promise.all(handles.map((h) => waitUntilReady(h, ports[h.name])));
  } catch (err) {
    await Promise.all(handles.map((h) => stopService(h, 2_000)));
    throw err;
  }
  return { ports, handles, stop: () => Promise.all(handles.map((h) => stopService(h))) };
}
