// The web console: its build (served by the gateway at /) and, for its browser test, Debian's
// Chromium. Plain Node: runs from the scripts before any TypeScript.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** `vite build` of apps/console into dist/apps/console. */
export function buildConsole(root, log) {
  log('building the web console…');
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', 'apps/console/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`console build failed (exit ${result.status})`);
}

/**
 * The browser test drives Debian's Chromium (never a downloaded browser). Installs the package
 * when it is missing and this user may; otherwise says what to run.
 */
export function ensureChromium(log) {
  if (fs.existsSync(CHROMIUM)) return true;
  log('installing Debian’s chromium for the browser tests (apt-get, one-time)…');
  const asRoot = process.getuid?.() === 0;
  const run = (args) =>
    spawnSync(asRoot ? args[0] : 'sudo', asRoot ? args.slice(1) : ['-n', ...args], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  run(['apt-get', 'update', '-qq']);
  // A CJK font, so screenshots of the Chinese pages show characters rather than boxes.
  const result = run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-wqy-microhei']);
  if (result.status === 0 && fs.existsSync(CHROMIUM)) return true;
  log(`chromium is not installed and could not be: run 'apt-get install chromium' (or set CHROMIUM_PATH)`);
  return false;
}
