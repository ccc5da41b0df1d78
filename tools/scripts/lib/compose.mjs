// Docker Compose v2, for `docker compose config` in the deployment checks (tools/deploy/
// compose-config.spec.ts). Rendering and validating the compose file needs no Docker engine, only
// the compose binary: the one `docker compose` runs when installed, else Debian's static build,
// fetched once into .local/tools. Plain Node: runs from the scripts before anything is installed.
//
//   node tools/scripts/lib/compose.mjs          prints the binary's path, fetching it if needed
//   node tools/scripts/lib/compose.mjs --find   prints it only if one is already there (exit 1 if not)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Debian trixie's docker-compose package: a static Go binary, pinned by its checksum. */
export const COMPOSE_PACKAGE = {
  version: '2.26.1',
  arch: 'x64',
  url: 'http://deb.debian.org/debian/pool/main/d/docker-compose/docker-compose_2.26.1-4_amd64.deb',
  sha256: '47681197cb2b1ab88206b42a1a92fc75f50d9530a6322d03494a473eed0408ea',
  member: 'usr/libexec/docker/cli-plugins/docker-compose',
};

/** Where Docker's CLI looks for the `compose` plugin: what `docker compose` would run. */
function pluginDirs() {
  const config = process.env.DOCKER_CONFIG ?? path.join(os.homedir(), '.docker');
  return [
    path.join(config, 'cli-plugins'),
    '/usr/local/lib/docker/cli-plugins',
    '/usr/local/libexec/docker/cli-plugins',
    '/usr/lib/docker/cli-plugins',
    '/usr/libexec/docker/cli-plugins',
  ];
}

export function cachedComposePath(root) {
  return path.join(root, '.local', 'tools', 'docker-compose');
}

/** The version a compose binary reports (`2.26.1-4`), or undefined if it does not run or is v1. */
function composeVersion(binary) {
  const result = spawnSync(binary, ['version', '--short'], { encoding: 'utf8', timeout: 30_000 });
  const version = result.status === 0 ? result.stdout.trim().replace(/^v/, '') : '';
  return /^2\.\d+/.test(version) ? version : undefined;
}

/**
 * A compose v2 binary already on this machine, without fetching anything: HOTLINE_COMPOSE_BIN,
 * the plugin `docker compose` runs, a standalone `docker-compose` v2 on the PATH, or the copy
 * fetched earlier into .local/tools.
 */
export function findComposeCli(root) {
  const candidates = [
    process.env.HOTLINE_COMPOSE_BIN,
    ...pluginDirs().map((dir) => path.join(dir, 'docker-compose')),
    ...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, 'docker-compose')),
  ];
  for (const candidate of candidates) {
    if (candidate && fs.existsSync(candidate) && composeVersion(candidate)) return path.resolve(candidate);
  }
  // The fetched copy counts only while it is the pinned version.
  const cached = cachedComposePath(root);
  if (fs.existsSync(cached) && composeVersion(cached)?.startsWith(COMPOSE_PACKAGE.version)) return cached;
  return undefined;
}

async function download(url) {
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  } catch (err) {
    // curl follows the proxy settings of the environment, which Node's fetch does not.
    const curl = spawnSync('curl', ['-fsSL', '--retry', '3', url], { maxBuffer: 256 * 1024 * 1024 });
    if (curl.status === 0) return curl.stdout;
    throw new Error(`cannot download ${url}: ${err.message}; curl: ${curl.error?.message ?? curl.stderr?.toString().trim()}`);
  }
}

/** The members of an ar archive (a .deb is one): name → contents. */
export function readAr(buffer) {
  if (buffer.subarray(0, 8).toString('latin1') !== '!<arch>\n') throw new Error('not an ar archive');
  const members = new Map();
  let offset = 8;
  while (offset + 60 <= buffer.length) {
    const header = buffer.subarray(offset, offset + 60).toString('latin1');
    const name = header.slice(0, 16).trim().replace(/\/$/, '');
    const size = Number.parseInt(header.slice(48, 58).trim(), 10);
    members.set(name, buffer.subarray(offset + 60, offset + 60 + size));
    offset += 60 + size + (size % 2); // members are 2-byte aligned
  }
  return members;
}

/** Unpacks the package into dir: with dpkg-deb where there is one, else ar by hand and tar. */
function extractDeb(debFile, dir) {
  const dpkg = spawnSync('dpkg-deb', ['-x', debFile, dir], { encoding: 'utf8' });
  if (dpkg.status === 0) return;
  if (!dpkg.error) throw new Error(`dpkg-deb -x failed: ${dpkg.stderr.trim()}`);
  const members = readAr(fs.readFileSync(debFile));
  const dataName = [...members.keys()].find((name) => name.startsWith('data.tar'));
  if (!dataName) throw new Error(`${path.basename(debFile)} has no data.tar member`);
  const dataFile = path.join(dir, dataName);
  fs.writeFileSync(dataFile, members.get(dataName));
  const tar = spawnSync('tar', ['-xf', dataFile, '-C', dir, `./${COMPOSE_PACKAGE.member}`], { encoding: 'utf8' });
  if (tar.status !== 0) throw new Error(`tar -xf ${dataName} failed: ${tar.error?.message ?? tar.stderr.trim()}`);
}

/** Fetches the pinned package, checks its SHA-256 and puts its binary at .local/tools/docker-compose. */
export async function installComposeCli(root, log) {
  const pkg = COMPOSE_PACKAGE;
  if (process.platform !== 'linux' || process.arch !== pkg.arch) {
    throw new Error(`no Docker Compose v2 here and no pinned build for ${process.platform}/${process.arch}: install the Docker Compose plugin, or set HOTLINE_COMPOSE_BIN`);
  }
  log(`Docker Compose v2 not found: fetching Debian's docker-compose ${pkg.version} (one-time, into .local/tools)…`);
  const deb = await download(pkg.url);
  const sha256 = createHash('sha256').update(deb).digest('hex');
  if (sha256 !== pkg.sha256) throw new Error(`${pkg.url}: SHA-256 ${sha256}, expected ${pkg.sha256}; not installed`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-compose-'));
  try {
    const debFile = path.join(work, path.basename(pkg.url));
    fs.writeFileSync(debFile, deb);
    extractDeb(debFile, work);
    const target = cachedComposePath(root);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const partial = `${target}.partial-${process.pid}`;
    fs.copyFileSync(path.join(work, pkg.member), partial);
    fs.chmodSync(partial, 0o755);
    fs.renameSync(partial, target); // a concurrent run sees the old file or the whole new one
    const version = composeVersion(target);
    if (!version) throw new Error(`${target} does not run`);
    log(`docker-compose ${version} installed at ${path.relative(root, target)}`);
    return target;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** A working Docker Compose v2 binary's path: one already here, else the pinned one fetched. */
export async function ensureComposeCli(root, log) {
  return findComposeCli(root) ?? (await installComposeCli(root, log));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const findOnly = process.argv.includes('--find');
  const log = (m) => console.error(`[compose] ${m}`);
  Promise.resolve(findOnly ? findComposeCli(root) : ensureComposeCli(root, log)).then(
    (binary) => {
      if (!binary) {
        log('no Docker Compose v2 found (run `node tools/scripts/lib/compose.mjs` to fetch it)');
        process.exit(1);
      }
      console.log(binary);
    },
    (err) => {
      log(err.message);
      process.exit(1);
    },
  );
}
