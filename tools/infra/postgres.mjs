// PostgreSQL: we use the machine's own server (Debian cluster on 127.0.0.1:5432,
// trust auth) and only start it if it is installed but stopped. We never stop it:
// it isn't ours.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import pg from 'pg';
import { defaultLog, errorCode, errorText, findExecutable, isLocalHost, sleep, tailFile } from './util.mjs';

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
// "Not there (yet)" as opposed to "there but says no" (auth, missing db...), which waiting won't fix.
const DOWN_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'ETIMEDOUT', '57P03' /* starting up */]);

/** Admin connection string (a superuser on the maintenance db), overridable for CI. */
export const adminUrl = () => process.env.DATABASE_ADMIN_URL || DEFAULT_ADMIN_URL;

/** host:port of a URL without credentials, for messages. */
function where(url) {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}`;
}

async function probePostgres(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => {}); // a server restart mid-probe must not crash the process
  try {
    await client.connect();
    const { rows } = await client.query('SHOW server_version');
    return { up: true, version: rows[0].server_version };
  } catch (error) {
    // pg reports a timeout as a plain Error without a code
    const down = DOWN_CODES.has(errorCode(error)) || /timeout|terminated/i.test(errorText(error));
    return { up: false, down, error };
  } finally {
    await client.end().catch(() => {});
  }
}

/** Newest Debian cluster named "main" (/etc/postgresql/<version>/main), or null. */
function debianCluster() {
  try {
    const versions = fs
      .readdirSync('/etc/postgresql')
      .filter((v) => fs.existsSync(`/etc/postgresql/${v}/main`))
      .sort((a, b) => Number(b) - Number(a));
    return versions[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * Make sure PostgreSQL answers on DATABASE_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 * If it is local, installed and stopped, start it with pg_ctlcluster.
 * `start: false` only waits (used when docker compose runs the server).
 * Resolves to { url, version }.
 */
export async function ensurePostgres({ log = defaultLog, start = true, timeoutMs = 30_000 } = {}) {
  const url = adminUrl();
  const at = where(url);
  let probe = await probePostgres(url);
  if (!probe.up && !probe.down) {
    throw new Error(`PostgreSQL at ${at} is reachable but refused the admin connection: ${errorText(probe.error)}. Check DATABASE_ADMIN_URL (locally: user postgres with trust auth).`);
  }

  let logFile = null;
  if (!probe.up && start) {
    if (!isLocalHost(new URL(url).hostname)) {
      throw new Error(`PostgreSQL at ${at} is not reachable (${errorText(probe.error)}); it is not on this machine, so not starting anything.`);
    }
    const ctl = findExecutable('pg_ctlcluster');
    if (!ctl) {
      throw new Error(`PostgreSQL is not running at ${at} and no PostgreSQL server is installed (pg_ctlcluster not found). Install it: apt-get install postgresql  - or point DATABASE_ADMIN_URL at a running server.`);
    }
    const version = debianCluster();
    if (!version) {
      throw new Error('pg_ctlcluster exists but there is no cluster in /etc/postgresql/<version>/main. Create one: pg_createcluster <version> main');
    }
    logFile = `/var/log/postgresql/postgresql-${version}-main.log`;
    log(`PostgreSQL not reachable at ${at}; starting cluster ${version}/main`);
    // --skip-systemctl-redirect: no systemd in containers/CI, talk to pg_ctl directly.
    const res = spawnSync(ctl, ['--skip-systemctl-redirect', version, 'main', 'start'], { encoding: 'utf8' });
    // Exit 2 = "already running" (e.g. still starting up): fine, we wait below.
    if (res.status !== 0 && res.status !== 2) {
      throw new Error(`pg_ctlcluster ${version} main start failed (exit ${res.status ?? res.error?.message}):\n${`${res.stdout ?? ''}${res.stderr ?? ''}`.trim()}`);
    }
  }

  const deadline = Date.now() + timeoutMs;
  while (!probe.up && Date.now() < deadline) {
    await sleep(500);
    probe = await probePostgres(url);
  }
  if (!probe.up) {
    const tail = logFile && tailFile(logFile, 20);
    throw new Error(`PostgreSQL at ${at} did not become ready: ${errorText(probe.error)}${tail ? `\n--- ${logFile} (tail) ---\n${tail}` : ''}`);
  }
  log(`PostgreSQL ${probe.version} is up at ${at}`);
  return { url, version: probe.version };
}

/**
 * Create database `name` if missing (safe to call concurrently).
 * Resolves to { created, url } where url is the admin URL pointed at that database.
 */
export async function ensureDatabase(name, { log = defaultLog } = {}) {
  // CREATE DATABASE can't take a bind parameter: restrict the name instead of escaping it.
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid database name: ${JSON.stringify(name)}`);
  const client = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  let created = false;
  try {
    await client.connect();
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      try {
        await client.query(`CREATE DATABASE "${name}"`);
        created = true;
        log(`created database ${name}`);
      } catch (err) {
        // Lost a race with another process creating it: that's what we wanted anyway.
        if (err.code !== '42P04' && err.code !== '23505') throw err;
      }
    }
  } catch (err) {
    throw new Error(`could not ensure database ${name} on ${where(adminUrl())}: ${errorText(err)}`);
  } finally {
    await client.end().catch(() => {});
  }
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return { created, url: url.toString() };
}

/** One-shot status: { name, up, address, detail }. */
export async function postgresStatus() {
  const url = adminUrl();
  const probe = await probePostgres(url);
  return { name: 'postgres', up: probe.up, address: where(url), detail: probe.up ? `PostgreSQL ${probe.version}` : errorText(probe.error) };
}
