// Installs the workspace's dependencies when they are missing or older than the lock file.
// Uses only Node built-ins: it runs before anything from node_modules can be loaded.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function ensureDependencies(root, log) {
  const lock = path.join(root, 'package-lock.json');
  const stamp = path.join(root, 'node_modules', '.hotline-lock-hash');
  const hash = createHash('sha256').update(fs.readFileSync(lock)).digest('hex');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash) return;
  log('installing dependencies from package-lock.json…');
  // `npm install` rather than `npm ci`: npm 11.19 writes lock files without the other
  // platforms' optional binaries (@swc/core-darwin-*, …) and `npm ci` then refuses that same
  // lock file (npm/cli#4828, #8320). With the lock present, `npm install` installs exactly it.
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm install failed with exit code ${result.status}`);
  fs.writeFileSync(stamp, hash);
}
