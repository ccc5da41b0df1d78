import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { loadEnvironment, ServiceEnvironment } from '@hotline/platform';
import { GatewayEnvironment } from '../../apps/gateway/src/gateway.environment';
import { IntakeEnvironment } from '../../apps/intake/src/intake.environment';
import {
  composeSchemaProblems,
  composeSystemProblems,
  containerEnvironment,
  dashboardProblems,
  dockerfileProblems,
  EXPORTED_METRICS,
  kubernetesPolicyProblems,
  kubernetesSchemaProblems,
  readCompose,
  referencedSecrets,
  ROOT,
  Service,
  SERVICES,
} from './lib/checks';
import { renderKustomization, Resource } from './lib/kustomize';

// Every deployment file checked the way CI can without Docker or a cluster: the compose file
// against the Compose Specification schema, the kustomize base and overlay rendered and checked
// against the Kubernetes schemas, both against what the services really accept as settings, the
// Dockerfiles against the recipe, the dashboard against the metrics the services export. Each
// check is also shown failing on a broken copy, so a green run means something.

const K8S = path.join(ROOT, 'deploy/k8s');
const ENVIRONMENTS: Record<Service, new () => ServiceEnvironment> = {
  gateway: GatewayEnvironment,
  intake: IntakeEnvironment,
  assignment: ServiceEnvironment,
  supervision: ServiceEnvironment,
  metrics: ServiceEnvironment,
};
/** Read outside the environment classes: by Node itself, kafkajs, or one module of a service. */
const OTHER_SETTINGS: Partial<Record<Service, string[]>> = { supervision: ['OFFICE_HOURS', 'SLA_SCAN_INTERVAL_MS'] };
const RUNTIME_SETTINGS = ['NODE_OPTIONS', 'KAFKAJS_NO_PARTITIONER_WARNING'];
/** Partitions of each events topic for a national load (deploy/SCALING.md). */
const EVENTS_TOPIC_PARTITIONS = 24;

/** A value that passes the setting's production rule, standing in for the Secret's. */
function placeholderSecret(name: string, key: string): string {
  if (key.endsWith('DATABASE_URL')) return `postgres://${name}@hotline-postgres:5432/hotline`;
  if (key === 'PII_KEYS') return `v1:${Buffer.alloc(32, 7).toString('base64')}`;
  return 'x'.repeat(40);
}

/** Compose's interpolation, with the required variables (`${X:?…}`) set as the operator would. */
function interpolate(value: string, service: string): string {
  return value.replace(/\$\{(\w+)(?::?([-?])([^}]*))?\}/g, (_, variable: string, kind?: string, rest?: string) =>
    kind === '-' ? (rest ?? '') : kind === '?' ? placeholderSecret(service, variable) : '',
  );
}

function copyOfK8s(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-k8s-'));
  fs.cpSync(K8S, dir, { recursive: true });
  return dir;
}

function edit(file: string, from: string | RegExp, to: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${file}: nothing to replace for ${from}`);
  fs.writeFileSync(file, next);
}

/** The settings a workload's container gets, checked by the service's own environment class. */
function settingProblems(resources: Resource[], service: Service, kind: string, name: string): string[] {
  const workload = resources.find((r) => r.kind === kind && r.metadata.name === name) as
    | (Resource & { spec: { template: { spec: { containers: Parameters<typeof containerEnvironment>[0][] } } } })
    | undefined;
  if (!workload) return [`${kind}/${name}: missing`];
  const env = containerEnvironment(workload.spec.template.spec.containers[0], resources, placeholderSecret);
  const known = new Set([...Object.keys(new ENVIRONMENTS[service]()), ...(OTHER_SETTINGS[service] ?? []), ...RUNTIME_SETTINGS]);
  const problems = Object.keys(env).filter((k) => !known.has(k)).map((k) => `${name}: ${k} is read by no part of ${service}`);
  try {
    loadEnvironment(ENVIRONMENTS[service], env);
  } catch (err) {
    problems.push(`${name}: ${(err as Error).message}`);
  }
  return problems;
}

function allProblems(resources: Resource[]): string[] {
  return [...kubernetesSchemaProblems(resources), ...kubernetesPolicyProblems(resources)];
}

describe('docker-compose.yml', () => {
  const compose = readCompose();

  it('is valid against the Compose Specification schema', () => {
    expect(composeSchemaProblems(compose)).toEqual([]);
  });

  it('builds every service from its Dockerfile and migrates it before it starts', () => {
    expect(composeSystemProblems(compose)).toEqual([]);
  });

  it('gives every service settings its environment accepts in production', () => {
    const services = (compose as { services: Record<string, { environment: Record<string, unknown> }> }).services;
    for (const service of Object.keys(SERVICES) as Service[]) {
      for (const name of [service, `${service}-migrate`]) {
        const env = Object.fromEntries(Object.entries(services[name].environment).map(([k, v]) => [k, interpolate(String(v), name)]));
        expect(() => loadEnvironment(ENVIRONMENTS[service], env)).not.toThrow();
      }
    }
  });

  it('fails a broken copy: a misspelt key, a wrong value, a service not waiting for its migration', () => {
    const broken = structuredClone(compose) as { services: Record<string, Record<string, unknown>> };
    broken.services.intake.depend_on = broken.services.intake.depends_on;
    broken.services.redis.image = 7;
    (broken.services.intake.depends_on as Record<string, { condition: string }>).kafka.condition = 'service_ready';
    delete (broken.services.gateway.depends_on as Record<string, unknown>)['gateway-migrate'];
    const schema = composeSchemaProblems(broken);
    expect(schema.join('\n')).toMatch(/\/services\/intake: must NOT have additional properties.*depend_on/);
    expect(schema.join('\n')).toMatch(/\/services\/redis\/image: must be string/);
    expect(schema.join('\n')).toMatch(/\/services\/intake\/depends_on\/kafka\/condition: must be equal to one of the allowed values/);
    expect(composeSystemProblems(broken)).toContain('gateway: must wait for gateway-migrate to complete successfully');
  });
});

describe('Dockerfiles', () => {
  it.each(Object.keys(SERVICES) as Service[])('apps/%s/Dockerfile follows the image recipe', (service) => {
    expect(dockerfileProblems(service, fs.readFileSync(path.join(ROOT, 'apps', service, 'Dockerfile'), 'utf8'))).toEqual([]);
  });

  it('fails a broken copy: root user, no health check, another service built', () => {
    const text = fs.readFileSync(path.join(ROOT, 'apps/intake/Dockerfile'), 'utf8');
    const broken = text.replace('USER 1000:1000', 'USER root').replace(/HEALTHCHECK[\s\S]*?\n(?=ENTRYPOINT)/, '').replace('build-service.mjs intake', 'build-service.mjs metrics');
    expect(dockerfileProblems('intake', broken)).toEqual([
      'intake: must compile with tools/deploy/build-service.mjs intake',
      'intake: the runtime must run as a non-root USER',
      'intake: HEALTHCHECK must fetch /health/live',
    ]);
  });
});

describe('Kubernetes manifests (deploy/k8s)', () => {
  const base = renderKustomization(path.join(K8S, 'base'));
  const overlay = renderKustomization(path.join(K8S, 'overlays/example'));

  it.each([
    ['base', base],
    ['overlays/example', overlay],
  ])('%s is valid against the Kubernetes schemas and the deployment rules', (_, resources) => {
    expect(resources.length).toBeGreaterThan(20);
    expect(allProblems(resources)).toEqual([]);
  });

  it('the overlay applies its namespace, images, replicas and patches', () => {
    const deployment = (name: string) => overlay.find((r) => r.kind === 'Deployment' && r.metadata.name === name) as Resource & {
      spec: { replicas: number; template: { spec: { containers: { image: string; resources: { limits: { memory: string } } }[] } } };
    };
    expect(new Set(overlay.map((r) => r.metadata.namespace))).toEqual(new Set(['hotline']));
    expect(deployment('hotline-intake').spec.template.spec.containers[0].image).toBe('registry.example.org/hotline/intake:1.0.0');
    expect(deployment('hotline-metrics').spec.template.spec.containers[0].resources.limits.memory).toBe('1Gi');
    const job = overlay.find((r) => r.kind === 'Job' && r.metadata.name === 'hotline-intake-migrate') as Resource & { spec: { template: { spec: { containers: { image: string }[] } } } };
    expect(job.spec.template.spec.containers[0].image).toBe('registry.example.org/hotline/intake:1.0.0');
    const kafka = overlay.find((r) => r.metadata.name === 'hotline-kafka') as Resource & { spec: { externalName: string } };
    expect(kafka.spec.externalName).toBe('kafka-0.kafka.example.org');
    for (const service of ['intake', 'assignment', 'supervision', 'metrics']) {
      // A consumer group uses at most one replica per partition; more would idle.
      expect(deployment(`hotline-${service}`).spec.replicas).toBeLessThanOrEqual(EVENTS_TOPIC_PARTITIONS);
    }
  });

  it.each([
    ['base', base],
    ['overlays/example', overlay],
  ])('%s gives every service and migration Job settings its environment accepts in production', (_, resources) => {
    for (const service of Object.keys(SERVICES) as Service[]) {
      expect(settingProblems(resources, service, 'Deployment', `hotline-${service}`)).toEqual([]);
      expect(settingProblems(resources, service, 'Job', `hotline-${service}-migrate`)).toEqual([]);
    }
  });

  it('documents every Secret key the manifests read (deploy/README.md)', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'deploy/README.md'), 'utf8');
    const secrets = referencedSecrets(overlay);
    expect(secrets).toContain('hotline-intake-pii/PII_KEYS');
    expect(secrets.filter((ref) => !ref.split('/').every((part) => readme.includes(part)))).toEqual([]);
  });

  describe('fails a broken copy', () => {
    let dir: string;
    beforeEach(() => (dir = copyOfK8s()));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('a value of the wrong type (schema)', () => {
      edit(path.join(dir, 'base/intake.yaml'), 'replicas: 2', 'replicas: two');
      expect(allProblems(renderKustomization(path.join(dir, 'base')))).toContain('Deployment/hotline-intake/spec/replicas: must be integer {"type":"integer"}');
    });

    it('an enum value Kubernetes does not know (schema), through the overlay', () => {
      edit(path.join(dir, 'base/intake.yaml'), 'protocol: TCP }\n', 'protocol: TPC }\n');
      expect(allProblems(renderKustomization(path.join(dir, 'overlays/example'))).join('\n')).toMatch(/Deployment\/hotline-intake\/spec\/template\/spec\/containers\/0\/ports\/0\/protocol: must be equal to one of the allowed values/);
    });

    it('a misspelt probe (rules), a Service missing its pods, a missing migration Job', () => {
      edit(path.join(dir, 'base/assignment.yaml'), 'readinessProbe:', 'readinesProbe:');
      edit(path.join(dir, 'base/metrics.yaml'), /selector: \{ app\.kubernetes\.io\/name: hotline-metrics,/, 'selector: { app.kubernetes.io/name: hotline-metric,');
      edit(path.join(dir, 'base/gateway.yaml'), 'name: hotline-gateway-migrate', 'name: hotline-gateway-migration');
      expect(allProblems(renderKustomization(path.join(dir, 'base')))).toEqual([
        'Job/hotline-gateway-migrate: missing, or not running `migrate` with the image of Deployment/hotline-gateway',
        'Deployment/hotline-assignment container assignment: readinessProbe must GET /health/ready',
        'Service/hotline-metrics: missing or not selecting the pods of Deployment/hotline-metrics',
      ]);
    });

    it('a setting the service refuses, and a setting no service reads', () => {
      edit(path.join(dir, 'base/config.yaml'), 'LOG_LEVEL: log', 'LOG_LEVEL: chatty\n  KAFKA_BROKER: kafka:9092');
      expect(settingProblems(renderKustomization(path.join(dir, 'base')), 'intake', 'Deployment', 'hotline-intake')).toEqual([
        'hotline-intake: KAFKA_BROKER is read by no part of intake',
        expect.stringMatching(/^hotline-intake: Invalid configuration:\n\s+- LOG_LEVEL: LOG_LEVEL must be one of/),
      ]);
    });

    it('a patch of a resource that does not exist, and an unknown kustomization field', () => {
      edit(path.join(dir, 'overlays/example/ingress.yaml'), 'name: hotline-gateway\n', 'name: hotline-gateway-public\n');
      expect(() => renderKustomization(path.join(dir, 'overlays/example'))).toThrow(/patches Ingress\/hotline-gateway-public, which no resource defines/);
      edit(path.join(dir, 'overlays/example/kustomization.yaml'), 'namespace: hotline', 'namespace: hotline\nnamePrefix: x-');
      expect(() => renderKustomization(path.join(dir, 'overlays/example'))).toThrow(/does not implement: namePrefix/);
    });
  });
});

describe('monitoring (deploy/grafana, deploy/prometheus)', () => {
  const dashboard = JSON.parse(fs.readFileSync(path.join(ROOT, 'deploy/grafana/hotline-dashboard.json'), 'utf8'));

  it('the dashboard queries only metrics the services export, with panels laid out', () => {
    expect(dashboardProblems(dashboard)).toEqual([]);
    const exprs = JSON.stringify(dashboard);
    for (const metric of EXPORTED_METRICS.filter((m) => m.startsWith('hotline_'))) expect(exprs).toContain(metric);
  });

  it('fails a broken dashboard: a metric nobody exports, an unknown variable, a duplicate id', () => {
    const broken = structuredClone(dashboard);
    const panels = broken.panels.filter((p: { type: string }) => p.type !== 'row');
    panels[0].targets[0].expr = 'sum(rate(hotline_tickets_total{service=~"$svc"}[5m]))';
    panels[2].id = panels[1].id;
    const problems = dashboardProblems(broken).join('\n');
    expect(problems).toMatch(/hotline_tickets_total is not a metric the services export/);
    expect(problems).toMatch(/\$svc is not a dashboard variable/);
    expect(problems).toMatch(/ids must be unique/);
  });

  it('the Prometheus examples scrape every service and alert on exported metrics', () => {
    const compose = parse(fs.readFileSync(path.join(ROOT, 'deploy/prometheus/prometheus.compose.yml'), 'utf8'));
    const targets = compose.scrape_configs.flatMap((c: { static_configs: { targets: string[] }[] }) => c.static_configs.flatMap((s) => s.targets));
    expect(targets.sort()).toEqual(Object.entries(SERVICES).map(([s, p]) => `${s}:${p}`).sort());
    const cluster = parse(fs.readFileSync(path.join(ROOT, 'deploy/prometheus/prometheus.kubernetes.yml'), 'utf8'));
    expect(cluster.scrape_configs[0].kubernetes_sd_configs[0].role).toBe('pod');
    const alerts = parse(fs.readFileSync(path.join(ROOT, 'deploy/prometheus/hotline-alerts.yml'), 'utf8'));
    const rules = alerts.groups.flatMap((g: { rules: { alert: string; expr: string }[] }) => g.rules);
    const asDashboard = { title: 'alerts', uid: 'alerts', panels: rules.map((r: { expr: string }, i: number) => ({ id: i, type: 'stat', gridPos: { x: 0, y: i, w: 1, h: 1 }, targets: [{ expr: r.expr }] })) };
    expect(dashboardProblems(asDashboard)).toEqual([]);
  });
});
