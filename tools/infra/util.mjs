// Small helpers shared by the infra scripts (plain Node, no dependencies).
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** Default logger: every infra line is prefixed so it stands out among app logs. */
export const defaultLog = (msg) => console.log(`[infra] ${msg}`);

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Absolute path of an executable found on PATH, or null (avoids depending on `which`). */
export function findExecutable(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here, keep looking
    }
  }
  return null;
}

/** True for host names that mean "this machine": only those may be started by us. */
export function isLocalHost(host) {
  return ['127.0.0.1', 'localhost', '::1', '[::1]', ''].includes(host);
}

/**
 * Human-readable error text. Node 20 connects to "localhost" over both IPv4 and
 * IPv6 and reports failures as an AggregateError whose own message is empty.
 */
export function errorText(err) {
  if (!err) return 'unknown error';
  const inner = Array.isArray(err.errors) ? err.errors.map((e) => e.message).join('; ') : '';
  return err.message || inner || String(err.code ?? err);
}

/** Error code, looking inside AggregateError too (see errorText). */
export function errorCode(err) {
  return err?.code ?? (Array.isArray(err?.errors) ? err.errors[0]?.code : undefined);
}

/** Last `lines` lines of a (possibly large) text file, or null if it doesn't exist. */
export function tailFile(file, lines = 30) {
  let fd;
  try {
    fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    const len = Math.min(size, 64 * 1024); // the tail is enough, don't slurp a big log
    const buf = Buffer.alloc(len);
    fs.readSync(fd, buf, 0, len, size - len);
    const text = buf.toString('utf8').trimEnd();
    return text ? text.split('\n').slice(-lines).join('\n') : '';
  } catch {
    return null;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Does anything accept TCP connections on host:port? (used to detect port squatters) */
export function isPortOpen(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Is `pid` a live process? (signal 0 only checks existence/permission) */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM'; // exists, just not ours to signal
  }
}

/**
 * Run `fn` holding an exclusive lock file (contains our pid). Two `up`s started at
 * once (e.g. parallel test targets) would otherwise both download jars and both
 * spawn a broker. A lock left by a dead process is taken over.
 */
export async function withLock(file, fn, { timeoutMs = 180_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const owner = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
      if (!isAlive(owner)) {
        fs.rmSync(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${file} (held by pid ${owner})`);
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(file, { force: true });
  }
}
