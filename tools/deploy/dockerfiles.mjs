#!/usr/bin/env node
// The services' Dockerfiles are one recipe: deploy/docker/service.Dockerfile.template, filled in
// with each service's values below.
//
//   node tools/deploy/dockerfiles.mjs --write   regenerates apps/<service>/Dockerfile
//   node tools/deploy/dockerfiles.mjs --check   exits 1 naming each Dockerfile that differs
//   node tools/deploy/dockerfiles.mjs --json    prints { "apps/<service>/Dockerfile": text, … }
//   --root <dir>                               another checkout (the tests use a copy)
//
// Template: `{{name}}` is a value; lines `{{#flag}}` … `{{/flag}}` enclose lines kept only for
// services with that flag; `{{! … }}` lines are the template's own comments, left out.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICE_NODE_OPTIONS } from '../scripts/lib/services.mjs';

export const TEMPLATE = 'deploy/docker/service.Dockerfile.template';

/** Each service's values. The ports are those of tools/deploy/lib/checks.ts SERVICES. */
export const IMAGES = {
  gateway: { port: 3000, summary: 'the gateway: authentication, the route table to the services, and the web console', console: true },
  intake: { port: 3001, summary: 'the intake service' },
  assignment: { port: 3002, summary: 'the assignment service' },
  supervision: { port: 3003, summary: 'the supervision service' },
  metrics: { port: 3004, summary: 'the metrics service' },
};

export const dockerfilePath = (service) => `apps/${service}/Dockerfile`;

/** The template with one service's values. Unknown names and unclosed sections are errors. */
export function render(template, values) {
  const out = [];
  const open = [];
  for (const [index, line] of template.split('\n').entries()) {
    const where = `${TEMPLATE}:${index + 1}`;
    if (/^\{\{!.*\}\}$/.test(line)) continue;
    const section = /^\{\{([#/])(\w+)\}\}$/.exec(line);
    if (section) {
      const [, kind, name] = section;
      if (kind === '#') open.push(name);
      else if (open.pop() !== name) throw new Error(`${where}: {{/${name}}} closes no {{#${name}}}`);
      continue;
    }
    if (!open.every((name) => values[name])) continue;
    out.push(
      line.replace(/\{\{(\w+)\}\}/g, (_, name) => {
        if (values[name] === undefined) throw new Error(`${where}: no value for {{${name}}}`);
        return String(values[name]);
      }),
    );
  }
  if (open.length) throw new Error(`${TEMPLATE}: {{#${open.at(-1)}}} is never closed`);
  if (/\{\{|\}\}/.test(out.join('\n'))) throw new Error(`${TEMPLATE}: a {{…}} that is neither a value, a section nor a comment`);
  return out.join('\n');
}

/** Every service's Dockerfile as the template makes it: relative path → text. */
export function generateDockerfiles(root) {
  const template = fs.readFileSync(path.join(root, TEMPLATE), 'utf8');
  return Object.fromEntries(
    Object.entries(IMAGES).map(([service, values]) => [dockerfilePath(service), render(template, { service, nodeOptions: SERVICE_NODE_OPTIONS, ...values })]),
  );
}

/** The Dockerfiles that differ from the template's text (or are missing). */
export function staleDockerfiles(root) {
  return Object.entries(generateDockerfiles(root))
    .filter(([file, text]) => !fs.existsSync(path.join(root, file)) || fs.readFileSync(path.join(root, file), 'utf8') !== text)
    .map(([file]) => file);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const rootAt = args.indexOf('--root');
  const root = rootAt >= 0 ? path.resolve(args[rootAt + 1]) : fileURLToPath(new URL('../..', import.meta.url));
  const mode = ['--write', '--check', '--json'].find((m) => args.includes(m));
  try {
    if (mode === '--json') {
      console.log(JSON.stringify(generateDockerfiles(root)));
    } else if (mode === '--write') {
      const stale = staleDockerfiles(root);
      const files = generateDockerfiles(root);
      for (const file of stale) fs.writeFileSync(path.join(root, file), files[file]);
      console.log(stale.length ? `written: ${stale.join(', ')}` : 'every Dockerfile is up to date');
    } else if (mode === '--check') {
      const stale = staleDockerfiles(root);
      if (stale.length) {
        console.error(`${stale.join(', ')}: not what ${TEMPLATE} makes; edit the template and run \`node tools/deploy/dockerfiles.mjs --write\``);
        process.exit(1);
      }
      console.log(`every Dockerfile is what ${TEMPLATE} makes`);
    } else {
      console.error('usage: node tools/deploy/dockerfiles.mjs --write | --check | --json [--root <dir>]');
      process.exit(2);
    }
  } catch (err) {
    console.error(`dockerfiles: ${err.message}`);
    process.exit(1);
  }
}
