import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import type { Resource } from './kustomize';

/** Checks of the deployment files. Each returns the problems it found; none means valid. */

export const ROOT = path.resolve(__dirname, '../../..');
export const SERVICES = { gateway: 3000, intake: 3001, assignment: 3002, supervision: 3003, metrics: 3004 } as const;
export type Service = keyof typeof SERVICES;

// ---------------------------------------------------------------------------------------------
// docker-compose.yml against the Compose Specification schema (tools/deploy/schemas).

let composeValidator: ReturnType<Ajv['compile']> | undefined;

export function readCompose(file = path.join(ROOT, 'docker-compose.yml')): unknown {
  // Compose resolves YAML anchors and `<<` merge keys before it validates; so does this.
  return parse(fs.readFileSync(file, 'utf8'), { merge: true });
}

export function composeSchemaProblems(compose: unknown): string[] {
  if (!composeValidator) {
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '../schemas/compose-spec.json'), 'utf8'));
    delete schema.$schema; // draft-07, ajv's default; the https spelling is not a registered meta-schema id
    // Formats such as "duration" and "ports" are Compose's own: the types and patterns still apply.
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    composeValidator = ajv.compile(schema);
  }
  if (composeValidator(compose)) return [];
  return (composeValidator.errors ?? []).map((e) => `docker-compose.yml${e.instancePath || '/'}: ${e.message} ${JSON.stringify(e.params)}`);
}

/** What the schema cannot know: each service built from its Dockerfile and migrated before it starts. */
export function composeSystemProblems(compose: unknown): string[] {
  const problems: string[] = [];
  const services = (compose as { services?: Record<string, Record<string, unknown>> }).services ?? {};
  for (const infra of ['kafka', 'postgres', 'redis']) {
    if (!services[infra]?.healthcheck) problems.push(`${infra}: missing, or without a healthcheck`);
  }
  if (!String(services.kafka?.image ?? '').startsWith('apache/kafka:3.9')) problems.push('kafka: the apache/kafka 3.9 image (KRaft) is expected');
  for (const [name, port] of Object.entries(SERVICES)) {
    const service = services[name];
    const migrate = services[`${name}-migrate`];
    if (!service) {
      problems.push(`${name}: missing`);
      continue;
    }
    const build = service.build as { context?: string; dockerfile?: string } | undefined;
    if (build?.dockerfile !== `apps/${name}/Dockerfile` || !fs.existsSync(path.join(ROOT, build.context ?? '.', build.dockerfile))) {
      problems.push(`${name}: must be built from apps/${name}/Dockerfile`);
    }
    const env = (service.environment ?? {}) as Record<string, unknown>;
    if (String(env.PORT) !== String(port)) problems.push(`${name}: PORT ${port} expected, got ${env.PORT}`);
    const dependsOn = (service.depends_on ?? {}) as Record<string, { condition?: string }>;
    if (dependsOn[`${name}-migrate`]?.condition !== 'service_completed_successfully') {
      problems.push(`${name}: must wait for ${name}-migrate to complete successfully`);
    }
    for (const infra of ['kafka', 'redis']) {
      if (dependsOn[infra]?.condition !== 'service_healthy') problems.push(`${name}: must wait for ${infra} to be healthy`);
    }
    if (!migrate) {
      problems.push(`${name}-migrate: missing`);
      continue;
    }
    if (migrate.image !== service.image) problems.push(`${name}-migrate: must run the image of ${name}`);
    if (JSON.stringify(migrate.command) !== '["migrate"]') problems.push(`${name}-migrate: command must be ["migrate"]`);
    if (((migrate.depends_on ?? {}) as Record<string, { condition?: string }>).postgres?.condition !== 'service_healthy') {
      problems.push(`${name}-migrate: must wait for postgres to be healthy`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes manifests against the Kubernetes OpenAPI schemas (kubernetes-models).

type Validating = { validate(): void };
type ModelClass = new (data: unknown) => Validating;

/** `apps/v1` + `Deployment` → the kubernetes-models class, which validates against the schema. */
function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
  if (!/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion) || !/^[A-Z][A-Za-z]+$/.test(kind)) return undefined;
  try {
    const module = require(`kubernetes-models/${apiVersion}/${kind}`) as Record<string, ModelClass>;
    return module[kind];
  } catch {
    return undefined;
  }
}

export function kubernetesSchemaProblems(resources: Resource[]): string[] {
  const problems: string[] = [];
  for (const resource of resources) {
    const where = `${resource.kind}/${resource.metadata?.name}`;
    const Model = modelFor(resource.apiVersion, resource.kind);
    if (!Model) {
      problems.push(`${where}: ${resource.apiVersion} ${resource.kind} is not a Kubernetes 1.27 resource`);
      continue;
    }
    try {
      new Model(resource).validate();
    } catch (err) {
      const errors = (err as { errors?: { instancePath: string; message?: string; params?: unknown }[] }).errors;
      if (errors?.length) for (const e of errors) problems.push(`${where}${e.instancePath}: ${e.message} ${JSON.stringify(e.params)}`);
      else problems.push(`${where}: ${(err as Error).message}`);
    }
  }
  return problems;
}

interface Container {
  name: string;
  image?: string;
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean; runAsNonRoot?: boolean };
  livenessProbe?: { httpGet?: { path?: string } };
  readinessProbe?: { httpGet?: { path?: string } };
  startupProbe?: { httpGet?: { path?: string } };
}
interface PodSpec {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
}
type Workload = Resource & { spec: { replicas?: number; selector?: { matchLabels?: Record<string, string> }; template: { metadata?: { labels?: Record<string, string> }; spec: PodSpec } } };

const selects = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** The settings a container ends up with: names from env and every key of the ConfigMaps it loads. */
export function containerEnvironment(container: Container, resources: Resource[], secretValue: (name: string, key: string) => string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const configMap = resources.find((r) => r.kind === 'ConfigMap' && r.metadata.name === from.configMapRef?.name);
    Object.assign(env, (configMap?.data as Record<string, string>) ?? {});
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.secretKeyRef) env[e.name] = secretValue(e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key);
    else if (e.valueFrom?.configMapKeyRef) {
      const configMap = resources.find((r) => r.kind === 'ConfigMap' && r.metadata.name === e.valueFrom?.configMapKeyRef?.name);
      env[e.name] = (configMap?.data as Record<string, string>)?.[e.valueFrom.configMapKeyRef.key];
    }
  }
  return env;
}

/** Secrets the manifests read, as `name/key`: the operator creates these (deploy/README.md). */
export function referencedSecrets(resources: Resource[]): string[] {
  const refs = new Set<string>();
  for (const r of resources) {
    const spec = (r as Workload).spec?.template?.spec;
    for (const c of spec?.containers ?? []) {
      for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) refs.add(`${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`);
      for (const f of c.envFrom ?? []) if (f.secretRef) refs.add(`${f.secretRef.name}/*`);
    }
  }
  return [...refs].sort();
}

/** What the issue asks of every service on the cluster, beyond what the schema says. */
export function kubernetesPolicyProblems(resources: Resource[]): string[] {
  const problems: string[] = [];
  const byKind = (kind: string) => resources.filter((r) => r.kind === kind);
  for (const [service, port] of Object.entries(SERVICES)) {
    const name = `hotline-${service}`;
    const deployment = byKind('Deployment').find((r) => r.metadata.name === name) as Workload | undefined;
    if (!deployment) {
      problems.push(`Deployment/${name}: missing`);
      continue;
    }
    const where = `Deployment/${name}`;
    const pod = deployment.spec.template.spec;
    const podLabels = deployment.spec.template.metadata?.labels;
    if (!selects(deployment.spec.selector?.matchLabels, podLabels)) problems.push(`${where}: selector does not match its pod labels`);
    if ((deployment.spec.replicas ?? 1) < 2) problems.push(`${where}: at least 2 replicas, so a disruption leaves one serving`);
    if (pod.securityContext?.runAsNonRoot !== true) problems.push(`${where}: pod securityContext.runAsNonRoot must be true`);
    for (const c of pod.containers) {
      const at = `${where} container ${c.name}`;
      if (!c.image?.includes(`hotline/${service}`)) problems.push(`${at}: runs ${c.image}, not the hotline/${service} image`);
      if (!c.ports?.some((p) => p.containerPort === port)) problems.push(`${at}: must expose ${port}`);
      if (c.livenessProbe?.httpGet?.path !== '/health/live') problems.push(`${at}: livenessProbe must GET /health/live`);
      if (c.readinessProbe?.httpGet?.path !== '/health/ready') problems.push(`${at}: readinessProbe must GET /health/ready`);
      if (!c.startupProbe?.httpGet?.path) problems.push(`${at}: startupProbe missing`);
      for (const r of ['cpu', 'memory']) if (!c.resources?.requests?.[r]) problems.push(`${at}: resources.requests.${r} missing`);
      if (!c.resources?.limits?.memory) problems.push(`${at}: resources.limits.memory missing`);
      if (c.securityContext?.readOnlyRootFilesystem !== true) problems.push(`${at}: readOnlyRootFilesystem must be true`);
      if (c.securityContext?.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation must be false`);
    }
    const svc = byKind('Service').find((r) => r.metadata.name === name) as (Resource & { spec: { selector?: Record<string, string>; ports?: { port: number }[] } }) | undefined;
    if (!svc || !selects(svc.spec.selector, podLabels)) problems.push(`Service/${name}: missing or not selecting the pods of ${where}`);
    else if (!svc.spec.ports?.some((p) => p.port === port)) problems.push(`Service/${name}: must serve port ${port}`);
    const pdb = byKind('PodDisruptionBudget').find((r) => selects((r as Workload).spec.selector?.matchLabels, podLabels));
    if (!pdb) problems.push(`${where}: no PodDisruptionBudget selects its pods`);
    const job = byKind('Job').find((r) => r.metadata.name === `${name}-migrate`) as Workload | undefined;
    const migrate = job?.spec.template.spec.containers[0];
    if (!migrate || migrate.image !== pod.containers[0].image || JSON.stringify(migrate.args) !== '["migrate"]') {
      problems.push(`Job/${name}-migrate: missing, or not running \`migrate\` with the image of ${where}`);
    } else if (job && selects(svc?.spec.selector, job.spec.template.metadata?.labels)) {
      problems.push(`Job/${name}-migrate: its pods must not be selected by Service/${name}`);
    }
    for (const ref of [...(pod.containers[0].envFrom ?? []), ...(migrate?.envFrom ?? [])]) {
      const cm = ref.configMapRef?.name;
      if (cm && !byKind('ConfigMap').some((r) => r.metadata.name === cm)) problems.push(`${where}: ConfigMap ${cm} is not defined`);
    }
  }
  const ingress = byKind('Ingress');
  const backends = JSON.stringify(ingress.map((i) => i.spec));
  if (!backends.includes('"name":"hotline-gateway"')) problems.push('Ingress: the gateway must be published by an Ingress');
  for (const service of Object.keys(SERVICES).filter((s) => s !== 'gateway')) {
    if (backends.includes(`"name":"hotline-${service}"`)) problems.push(`Ingress: ${service} is internal and must not be published`);
  }
  for (const external of ['hotline-kafka', 'hotline-postgres', 'hotline-redis']) {
    const svc = byKind('Service').find((r) => r.metadata.name === external) as (Resource & { spec: { type?: string; externalName?: string } }) | undefined;
    if (!svc || svc.spec.type !== 'ExternalName' || !svc.spec.externalName) problems.push(`Service/${external}: an ExternalName service to the external server is expected`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Dockerfiles: the recipe the issue asks for, per service.

export function dockerfileProblems(service: Service, text: string): string[] {
  const problems: string[] = [];
  const lines = text.split('\n').filter((l) => !l.trim().startsWith('#'));
  const stages = lines.filter((l) => /^FROM\s/i.test(l));
  if (stages.length < 3) problems.push(`${service}: a multi-stage build (build, packages, runtime) is expected`);
  const runtime = text.slice(text.lastIndexOf('\nFROM '));
  if (!/FROM \$\{NODE_IMAGE\}|FROM node:\d+-(bookworm-slim|alpine)|FROM gcr\.io\/distroless/.test(runtime)) problems.push(`${service}: the runtime stage must be a small image`);
  if (!new RegExp(`node tools/deploy/build-service\\.mjs ${service} /out`).test(text)) problems.push(`${service}: must compile with tools/deploy/build-service.mjs ${service}`);
  if (!/npm ci --omit=dev/.test(text)) problems.push(`${service}: production packages must be installed with npm ci --omit=dev`);
  const user = /^USER\s+(\S+)/m.exec(runtime)?.[1];
  if (!user || /^(root|0)(:|$)/.test(user)) problems.push(`${service}: the runtime must run as a non-root USER`);
  if (!/HEALTHCHECK[\s\S]*fetch\([\s\S]*\/health\/live/.test(runtime)) problems.push(`${service}: HEALTHCHECK must fetch /health/live`);
  if (!new RegExp(`EXPOSE ${SERVICES[service]}\\b`).test(runtime)) problems.push(`${service}: must EXPOSE ${SERVICES[service]}`);
  if (!/ENTRYPOINT \["node",[^\]]*"main\.js"\]/.test(runtime)) problems.push(`${service}: ENTRYPOINT must run node main.js`);
  if (service === 'gateway' && !/npm run build:console/.test(text)) problems.push('gateway: must build the console (npm run build:console)');
  if (service === 'gateway' && !/dist\/apps\/console/.test(runtime)) problems.push('gateway: the runtime must hold dist/apps/console');
  return problems;
}

// ---------------------------------------------------------------------------------------------
// The Grafana dashboard: valid JSON, panels laid out, every query over metrics the services export.

/** The metric families the services expose at /metrics (prom-client, `service` label on each). */
export const EXPORTED_METRICS = [
  'http_requests_total',
  'http_request_duration_seconds',
  'hotline_events_published_total',
  'hotline_events_consumed_total',
  'hotline_consumer_lag',
  'hotline_outbox_backlog',
  'hotline_outbox_oldest_age_seconds',
  'hotline_dlq_messages_total',
  'hotline_open_tickets',
  'hotline_sla_scanner_lag_seconds',
  // prom-client default metrics
  'process_cpu_seconds_total',
  'process_cpu_user_seconds_total',
  'process_cpu_system_seconds_total',
  'process_resident_memory_bytes',
  'process_start_time_seconds',
  'process_open_fds',
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_eventloop_lag_mean_seconds',
  'nodejs_heap_size_used_bytes',
  'nodejs_heap_size_total_bytes',
  'nodejs_gc_duration_seconds',
  'nodejs_active_handles_total',
  'up',
];

interface Panel {
  id?: number;
  type?: string;
  title?: string;
  gridPos?: { x: number; y: number; w: number; h: number };
  targets?: { expr?: string; refId?: string }[];
  panels?: Panel[];
}

export function dashboardProblems(dashboard: { title?: string; uid?: string; panels?: Panel[]; templating?: { list?: { name: string }[] } }): string[] {
  const problems: string[] = [];
  if (!dashboard.title || !dashboard.uid) problems.push('dashboard: title and uid are required');
  const variables = new Set((dashboard.templating?.list ?? []).map((v) => v.name));
  const panels = (dashboard.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
  const ids = new Set<number>();
  for (const panel of panels) {
    const where = `panel ${panel.id} "${panel.title}"`;
    if (typeof panel.id !== 'number' || ids.has(panel.id)) problems.push(`${where}: ids must be unique numbers`);
    ids.add(panel.id as number);
    if (!panel.gridPos || panel.gridPos.x + panel.gridPos.w > 24) problems.push(`${where}: gridPos missing or wider than 24 columns`);
    if (panel.type === 'row') continue;
    if (!panel.targets?.length) problems.push(`${where}: no query`);
    for (const target of panel.targets ?? []) {
      const expr = target.expr ?? '';
      if (!expr.trim()) problems.push(`${where}: empty query`);
      for (const [, variable] of expr.matchAll(/\$\{?(\w+)/g)) {
        if (!variables.has(variable) && !variable.startsWith('__')) problems.push(`${where}: $${variable} is not a dashboard variable`);
      }
      // Identifiers in the families' namespaces (labels never start so): each must be exported.
      const names = [...expr.replace(/"[^"]*"/g, '""').matchAll(/\b((?:hotline|http|process|nodejs)_[a-z0-9_]+)\b/g)].map((m) => m[1]);
      for (const name of names) {
        const family = name.replace(/_(bucket|sum|count)$/, '');
        if (!EXPORTED_METRICS.includes(name) && !EXPORTED_METRICS.includes(family)) problems.push(`${where}: ${name} is not a metric the services export`);
      }
    }
  }
  if (!panels.length) problems.push('dashboard: no panels');
  return problems;
}
