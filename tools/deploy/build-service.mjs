#!/usr/bin/env node
// Compiles one service for its production image: `node tools/deploy/build-service.mjs <service> <outDir>`.
// The build stage of apps/<service>/Dockerfile runs exactly this; tools/deploy/build-service.int-spec.ts
// runs it too and starts the result, so the recipe is proven without a Docker engine.
//
// What it does, from apps/<service>/src/main.ts:
//  1. follows every import (the same SWC settings as `npm start` and Jest: legacy decorators with
//     decorator metadata, which NestJS needs; the `@hotline/*` aliases of tsconfig.base.json become
//     relative requires) and compiles each reachable file to CommonJS with its source map, keeping
//     the workspace layout (outDir/apps/<service>/src/…, outDir/libs/<lib>/src/…). Files nothing
//     imports (tests, other services) are never copied; importing another service or
//     libs/testing fails the build;
//  2. writes outDir/main.js, the entry point (`node main.js` serves, `node main.js migrate`
//     migrates), so the image needs no TypeScript tooling;
//  3. writes outDir/package.json and outDir/package-lock.json with only the npm packages the
//     compiled code loads (and what they need, exactly as locked in the workspace), so the image's
//     `npm ci --omit=dev` installs no console, test or build tooling.
import fs from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(root, 'package.json'));

/**
 * Packages a service loads by name at run time rather than through an import the walk can see:
 * NestFactory loads the HTTP adapter, TypeORM loads the PostgreSQL driver.
 */
export const LOADED_AT_RUN_TIME = ['@nestjs/platform-express', 'pg'];

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function swcOptions(filename, paths) {
  return {
    filename,
    sourceMaps: true,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
      baseUrl: root,
      paths,
    },
    module: { type: 'commonjs' },
  };
}

/** `@hotline/platform` → `./libs/platform/src/index.ts`, as tsconfig.base.json says. */
function workspaceAliases() {
  const text = fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8');
  return JSON.parse(text).compilerOptions.paths ?? {};
}

/** The file a relative require names: `x.ts`, `x/index.ts`, or `x.json`. */
function resolveSource(fromFile, specifier) {
  const base = path.resolve(path.dirname(fromFile), specifier);
  const candidates = [base, `${base}.ts`, path.join(base, 'index.ts'), `${base}.json`];
  if (base.endsWith('.js')) candidates.unshift(base.replace(/\.js$/, '.ts'));
  const found = candidates.find((c) => (c.endsWith('.ts') || c.endsWith('.json')) && fs.existsSync(c) && fs.statSync(c).isFile());
  if (!found) throw new Error(`${path.relative(root, fromFile)}: cannot resolve ${specifier}`);
  return found;
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Compiled path of a source file: `.ts` → `.js`, the same place under outDir. */
function outputPath(outDir, source) {
  return path.join(outDir, path.relative(root, source).replace(/\.ts$/, '.js'));
}

/** Compiles every file reachable from the service's main.ts; returns the npm packages they load. */
function compile(service, outDir) {
  const swc = require('@swc/core');
  const paths = workspaceAliases();
  const entry = path.join(root, 'apps', service, 'src', 'main.ts');
  const allowed = [path.join(root, 'apps', service) + path.sep, path.join(root, 'libs') + path.sep];
  const refused = [path.join(root, 'libs', 'testing') + path.sep];
  const seen = new Set();
  const packages = new Set(LOADED_AT_RUN_TIME);
  const queue = [entry];
  while (queue.length) {
    const source = queue.pop();
    if (seen.has(source)) continue;
    seen.add(source);
    const relative = path.relative(root, source);
    if (!allowed.some((dir) => source.startsWith(dir)) || refused.some((dir) => source.startsWith(dir))) {
      throw new Error(`${service} reaches ${relative}: a service image holds only its own code and the shared libraries`);
    }
    const target = outputPath(outDir, source);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (source.endsWith('.json')) {
      fs.copyFileSync(source, target);
      continue;
    }
    const { code, map } = swc.transformSync(fs.readFileSync(source, 'utf8'), swcOptions(source, paths));
    const sourceMap = JSON.parse(map);
    sourceMap.sources = [relative];
    sourceMap.sourceRoot = '/';
    fs.writeFileSync(target, `${code}\n//# sourceMappingURL=${path.basename(target)}.map\n`);
    fs.writeFileSync(`${target}.map`, JSON.stringify(sourceMap));
    for (const [, specifier] of code.matchAll(/\brequire\("([^"]+)"\)/g)) {
      if (specifier.startsWith('.')) queue.push(resolveSource(source, specifier));
      else if (!BUILTINS.has(specifier)) packages.add(packageName(specifier));
    }
  }
  return { files: [...seen].map((f) => path.relative(root, f)).sort(), packages: [...packages].sort() };
}

/**
 * Where npm put `name` for the package installed at `from` (a lock `packages` key): its own
 * node_modules first, then each parent's, then the top level, as Node resolves it.
 */
function locate(lockPackages, from, name) {
  let dir = from;
  for (;;) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (lockPackages[candidate]) return candidate;
    if (!dir) return undefined;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut < 0 ? '' : dir.slice(0, cut);
  }
}

/** The lock entries the production packages need, found the way Node would find them. */
export function pruneLock(lock, rootPackage, packages) {
  const missing = packages.filter((p) => !rootPackage.dependencies?.[p]);
  if (missing.length) {
    throw new Error(`production code loads ${missing.join(', ')}, which package.json does not list under "dependencies"`);
  }
  const keep = new Map();
  const queue = packages.map((name) => ['', name, false]);
  while (queue.length) {
    const [from, name, optional] = queue.shift();
    const at = locate(lock.packages, from, name);
    if (!at) {
      if (optional) continue;
      throw new Error(`package-lock.json has no ${name} (needed by ${from || 'the service'})`);
    }
    if (keep.has(at)) continue;
    const entry = lock.packages[at];
    keep.set(at, entry);
    for (const dep of Object.keys(entry.dependencies ?? {})) queue.push([at, dep, false]);
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) queue.push([at, dep, true]);
    for (const dep of Object.keys(entry.peerDependencies ?? {})) {
      queue.push([at, dep, Boolean(entry.peerDependenciesMeta?.[dep]?.optional)]);
    }
    // A linked or bundled entry carries its files elsewhere in the lock: keep those too.
    if (entry.link && entry.resolved) queue.push(['', entry.resolved, false]);
  }
  const dependencies = Object.fromEntries(packages.map((p) => [p, rootPackage.dependencies[p]]));
  const rootEntry = { name: rootPackage.name, version: rootPackage.version, license: rootPackage.license, dependencies };
  if (rootPackage.engines) rootEntry.engines = rootPackage.engines;
  const entries = [...keep].sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => {
    const { dev: _dev, devOptional: _devOptional, ...rest } = value;
    return [key, rest];
  });
  return {
    packageJson: { ...rootEntry, private: true },
    lock: { name: rootPackage.name, version: rootPackage.version, lockfileVersion: lock.lockfileVersion, requires: true, packages: { '': rootEntry, ...Object.fromEntries(entries) } },
  };
}

export function buildService(service, outDir) {
  if (!/^[a-z][a-z0-9-]*$/.test(service) || !fs.existsSync(path.join(root, 'apps', service, 'src', 'main.ts'))) {
    throw new Error(`no service named ${JSON.stringify(service)} (apps/<service>/src/main.ts)`);
  }
  const out = path.resolve(outDir);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const { files, packages } = compile(service, out);
  const rootPackage = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const pruned = pruneLock(lock, { ...rootPackage, name: `hotline-${service}` }, packages);
  fs.writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(pruned.packageJson, null, 2)}\n`);
  fs.writeFileSync(path.join(out, 'package-lock.json'), `${JSON.stringify(pruned.lock, null, 2)}\n`);
  fs.writeFileSync(
    path.join(out, 'main.js'),
    `'use strict';\n// hotline ${service}: \`node main.js\` serves, \`node main.js migrate\` runs the schema migrations.\nrequire('./apps/${service}/src/main.js');\n`,
  );
  const installed = Object.keys(pruned.lock.packages).length - 1;
  return { service, outDir: out, files, packages, installed };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [service, outDir] = process.argv.slice(2);
  if (!service || !outDir) {
    console.error('usage: node tools/deploy/build-service.mjs <service> <outDir>');
    process.exit(2);
  }
  try {
    const started = Date.now();
    const result = buildService(service, outDir);
    console.log(
      `${service}: ${result.files.length} files compiled into ${result.outDir} in ${Date.now() - started} ms; ` +
        `npm packages: ${result.packages.join(', ')} (${result.installed} installed with what they need)`,
    );
  } catch (err) {
    console.error(`build-service: ${err.message}`);
    process.exit(1);
  }
}
