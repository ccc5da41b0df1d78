import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, SERVICES } from './lib/checks';

// apps/<service>/Dockerfile is generated from deploy/docker/service.Dockerfile.template by
// tools/deploy/dockerfiles.mjs: each must be exactly the generated text.

const TEMPLATE = 'deploy/docker/service.Dockerfile.template';

function generator(args: string[]) {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'tools/deploy/dockerfiles.mjs'), ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const generated = JSON.parse(generator(['--json']).stdout || '{}') as Record<string, string>;

describe('Dockerfiles generated from the template', () => {
  it('covers every service and every apps/*/Dockerfile', () => {
    const onDisk = fs.readdirSync(path.join(ROOT, 'apps')).filter((app) => fs.existsSync(path.join(ROOT, 'apps', app, 'Dockerfile')));
    expect(Object.keys(generated).sort()).toEqual(Object.keys(SERVICES).map((s) => `apps/${s}/Dockerfile`).sort());
    expect(onDisk.map((app) => `apps/${app}/Dockerfile`).sort()).toEqual(Object.keys(generated).sort());
  });

  it.each(Object.keys(SERVICES))('apps/%s/Dockerfile is the generated text', (service) => {
    const file = `apps/${service}/Dockerfile`;
    expect(generated[file]).toContain(`build-service.mjs ${service} /out`);
    expect(fs.readFileSync(path.join(ROOT, file), 'utf8')).toBe(generated[file]);
  });

  it.each(Object.keys(SERVICES))('apps/%s/Dockerfile runs the service with the heap limit npm start and the e2e stack give it', (service) => {
    const script = `import('${path.join(ROOT, 'tools/scripts/lib/services.mjs')}').then((m) => console.log(JSON.stringify([m.SERVICE_NODE_OPTIONS, m.serviceNodeOptions('--max-old-space-size=384')])))`;
    const [own, overridden] = JSON.parse(spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' }).stdout) as string[];
    expect(own).toMatch(/^--max-old-space-size=\d+$/);
    // A caller's NODE_OPTIONS comes after the services' own, so its limit wins (the last one does).
    expect(overridden).toBe(`${own} --max-old-space-size=384`);
    const runtime = generated[`apps/${service}/Dockerfile`].split(/^FROM .* AS runtime$/m)[1];
    expect(runtime).toMatch(new RegExp(`^\\s+NODE_OPTIONS=${own}\\s`, 'm'));
  });

  it('--check passes on the repository', () => {
    expect(generator(['--check'])).toMatchObject({ status: 0 });
  });

  describe('on a copy', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-dockerfiles-'));
      fs.mkdirSync(path.join(dir, path.dirname(TEMPLATE)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, TEMPLATE), path.join(dir, TEMPLATE));
      for (const file of Object.keys(generated)) {
        fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
        fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
      }
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('--check names a Dockerfile edited by hand and a missing one; --write makes them again', () => {
      const intake = path.join(dir, 'apps/intake/Dockerfile');
      fs.writeFileSync(intake, fs.readFileSync(intake, 'utf8').replace('USER 1000:1000', 'USER root'));
      fs.rmSync(path.join(dir, 'apps/metrics/Dockerfile'));
      const check = generator(['--check', '--root', dir]);
      expect(check.status).toBe(1);
      expect(check.stderr).toMatch(/^apps\/intake\/Dockerfile, apps\/metrics\/Dockerfile: not what deploy\/docker\/service\.Dockerfile\.template makes/);
      expect(generator(['--write', '--root', dir]).stdout).toMatch(/written: apps\/intake\/Dockerfile, apps\/metrics\/Dockerfile/);
      expect(generator(['--check', '--root', dir]).status).toBe(0);
      expect(fs.readFileSync(intake, 'utf8')).toBe(generated['apps/intake/Dockerfile']);
    });

    it('a template change reaches every service, the gateway-only block only the gateway', () => {
      const template = path.join(dir, TEMPLATE);
      fs.writeFileSync(template, fs.readFileSync(template, 'utf8').replace('node:20-bookworm-slim', 'node:22-bookworm-slim'));
      expect(generator(['--check', '--root', dir]).stderr).toMatch(new RegExp(`^${Object.keys(generated).join(', ')}:`));
      const files = JSON.parse(generator(['--json', '--root', dir]).stdout) as Record<string, string>;
      for (const [file, text] of Object.entries(files)) {
        expect(text).toContain('ARG NODE_IMAGE=node:22-bookworm-slim');
        expect(text.includes('npm run build:console')).toBe(file === 'apps/gateway/Dockerfile');
      }
    });

    it('refuses a template with an unknown value or an unclosed section', () => {
      const template = path.join(dir, TEMPLATE);
      const text = fs.readFileSync(template, 'utf8');
      fs.writeFileSync(template, text.replace('EXPOSE {{port}}', 'EXPOSE {{ports}}'));
      expect(generator(['--json', '--root', dir])).toMatchObject({ status: 1, stderr: expect.stringMatching(/service\.Dockerfile\.template:\d+: no value for \{\{ports\}\}/) });
      fs.writeFileSync(template, text.replace(/\{\{\/console\}\}\n(?![\s\S]*\{\{\/console\}\})/, ''));
      expect(generator(['--json', '--root', dir])).toMatchObject({ status: 1, stderr: expect.stringMatching(/\{\{#console\}\} is never closed/) });
    });
  });
});
