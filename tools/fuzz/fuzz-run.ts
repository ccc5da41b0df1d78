import fs from 'node:fs';
import path from 'node:path';
import { Endpoint, endpointKey, endpointLabel, ENDPOINTS, ServiceName } from './endpoints';
import { problemWith, preview, send, WireAnswer } from './http';
import { Credentials, EndpointPlanner, MutationKind, PlannedRequest, RefusedBy } from './mutations';
import { discoverRoutes, DiscoveredRoute, routeKey } from './nest-routes';
import { endpointRandom } from './random';

export interface FuzzTarget {
  gatewayPort: number;
  servicePorts: Record<ServiceName, number>;
}

export interface FuzzOptions {
  seed: number;
  perEndpoint: number;
  /** Endpoints fuzzed at the same time. */
  concurrency: number;
  /** Only endpoints whose label contains this text. */
  only?: string;
  log?: (line: string) => void;
}

export interface EndpointStats {
  endpoint: Endpoint;
  label: string;
  tried: number;
  refused4xx: number;
  server5xx: number;
  connectionFailures: number;
  /** 4xx without the API error shape, or a 2xx/3xx where a refusal was due. */
  badAnswers: number;
  /** 2xx to a boundary value on a read-only endpoint (allowed: see PlannedRequest.mayAnswer). */
  answeredBoundary: number;
  kinds: Partial<Record<MutationKind, number>>;
  refusedBy: Partial<Record<RefusedBy, number>>;
  statuses: Record<string, number>;
}

export interface Failure {
  label: string;
  kind: MutationKind;
  detail: string;
  refusedBy: RefusedBy;
  problem: string;
  requestId: string;
  request: { method: string; path: string; headers: Record<string, string>; bodyBytes: number; bodyPreview: string; bodyBase64?: string; chunked?: boolean; port: number };
  answer: { status?: number; error?: string; bodyPreview: string; ms: number };
  logLines?: string[];
}

export interface FuzzResult {
  seed: number;
  perEndpoint: number;
  stats: EndpointStats[];
  failures: Failure[];
  ms: number;
}

/** Pairs each catalogue entry with the route Nest serves for it; throws when they disagree. */
export function pairWithRoutes(routes: DiscoveredRoute[] = discoverRoutes()): { endpoint: Endpoint; route: DiscoveredRoute }[] {
  const byKey = new Map(routes.map((r) => [routeKey(r), r]));
  return ENDPOINTS.map((endpoint) => {
    const route = byKey.get(endpointKey(endpoint));
    if (!route) throw new Error(`catalogue entry ${endpointKey(endpoint)} names no route the services serve`);
    return { endpoint, route };
  });
}

/** Runs the whole fuzz: every endpoint, `perEndpoint` hostile requests each. */
export async function fuzzAll(target: FuzzTarget, credentials: Credentials, options: FuzzOptions): Promise<FuzzResult> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const pairs = pairWithRoutes().filter(({ endpoint }) => !options.only || endpointLabel(endpoint).includes(options.only));
  const stats: EndpointStats[] = [];
  const failures: Failure[] = [];
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= pairs.length) return;
      const { endpoint, route } = pairs[index];
      const random = endpointRandom(options.seed, endpointKey(endpoint));
      const planner = new EndpointPlanner(endpoint, route, credentials, random);
      const planned = await planner.plan(options.perEndpoint);
      const s = emptyStats(endpoint);
      let n = 0;
      for (const request of planned) {
        const requestId = `fuzz-${options.seed}-${index}-${n++}`;
        const port = endpoint.direct ? target.servicePorts[endpoint.service] : target.gatewayPort;
        const answer = await send({ port, method: request.method, path: request.path, headers: { ...request.headers, 'x-request-id': requestId }, body: request.body, chunked: request.chunked });
        record(s, request, answer);
        const problem = problemWith(answer, { mayAnswer: request.mayAnswer });
        if (problem) failures.push(describe(request, answer, problem, requestId, port));
      }
      stats[index] = s;
      done++;
      log(`  ${String(done).padStart(3)}/${pairs.length} ${s.label}: ${s.tried} requests, ${s.refused4xx} refused${s.server5xx + s.connectionFailures + s.badAnswers ? `, ${s.server5xx} 5xx, ${s.connectionFailures} connection failures, ${s.badAnswers} bad answers` : ''}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return { seed: options.seed, perEndpoint: options.perEndpoint, stats: stats.filter(Boolean), failures, ms: Date.now() - started };
}

function emptyStats(endpoint: Endpoint): EndpointStats {
  return { endpoint, label: endpointLabel(endpoint), tried: 0, refused4xx: 0, server5xx: 0, connectionFailures: 0, badAnswers: 0, answeredBoundary: 0, kinds: {}, refusedBy: {}, statuses: {} };
}

function record(s: EndpointStats, request: PlannedRequest, answer: WireAnswer): void {
  s.tried++;
  s.kinds[request.kind] = (s.kinds[request.kind] ?? 0) + 1;
  s.refusedBy[request.refusedBy] = (s.refusedBy[request.refusedBy] ?? 0) + 1;
  const status = answer.status === undefined ? 'none' : String(answer.status);
  s.statuses[status] = (s.statuses[status] ?? 0) + 1;
  if (answer.error) s.connectionFailures++;
  else if ((answer.status ?? 0) >= 500) s.server5xx++;
  else if (problemWith(answer, { mayAnswer: request.mayAnswer })) s.badAnswers++;
  else if ((answer.status ?? 0) < 400) s.answeredBoundary++;
  else s.refused4xx++;
}

function describe(request: PlannedRequest, answer: WireAnswer, problem: string, requestId: string, port: number): Failure {
  const headers = { ...request.headers };
  if (headers.authorization) headers.authorization = headers.authorization.length > 60 ? `${headers.authorization.slice(0, 40)}…` : headers.authorization;
  return {
    label: endpointLabel(request.endpoint),
    kind: request.kind,
    detail: request.detail,
    refusedBy: request.refusedBy,
    problem,
    requestId,
    request: {
      method: request.method,
      path: request.path.length > 400 ? `${request.path.slice(0, 400)}… (${request.path.length} chars)` : request.path,
      headers,
      bodyBytes: request.body?.length ?? 0,
      bodyPreview: preview(request.body),
      // Small bodies verbatim; a big one is told by its detail and made again by the seed (FUZZ_SEED, FUZZ_ONLY).
      bodyBase64: request.body && request.body.length <= 16 * 1024 ? request.body.toString('base64') : undefined,
      chunked: request.chunked,
      port,
    },
    answer: { status: answer.status, error: answer.error, bodyPreview: preview(answer.body, 500), ms: answer.ms },
  };
}

/** Each failure's lines in the services' logs (JSON lines carrying the request id). */
export function attachLogLines(failures: Failure[], logDir: string | undefined): void {
  if (!logDir || !fs.existsSync(logDir) || !failures.length) return;
  const files = fs.readdirSync(logDir).filter((f) => f.endsWith('.log'));
  const lines = files.flatMap((f) => fs.readFileSync(path.join(logDir, f), 'utf8').split('\n').map((line) => ({ file: f, line })));
  for (const failure of failures) {
    const matching = lines.filter((l) => l.line.includes(failure.requestId));
    failure.logLines = matching.slice(0, 6).map((l) => `${l.file}: ${l.line.length > 1_500 ? `${l.line.slice(0, 1_500)}…` : l.line}`);
  }
}

/** The table of the brief: per endpoint, requests tried, 4xx, 5xx, connection failures, verdict. */
export function formatTable(result: FuzzResult): string {
  const rows = result.stats.map((s) => [
    s.label,
    String(s.tried),
    String(s.refused4xx),
    String(s.server5xx),
    String(s.connectionFailures),
    String(s.badAnswers),
    String(s.answeredBoundary),
    s.server5xx + s.connectionFailures + s.badAnswers === 0 && s.tried > 0 ? 'ok' : 'FAIL',
  ]);
  const header = ['endpoint', 'tried', '4xx', '5xx', 'conn. failures', 'other bad', '2xx boundary', 'verdict'];
  const total = result.stats.reduce(
    (t, s) => ({ tried: t.tried + s.tried, r: t.r + s.refused4xx, e: t.e + s.server5xx, c: t.c + s.connectionFailures, b: t.b + s.badAnswers, a: t.a + s.answeredBoundary }),
    { tried: 0, r: 0, e: 0, c: 0, b: 0, a: 0 },
  );
  const failing = result.stats.filter((s) => s.server5xx + s.connectionFailures + s.badAnswers > 0 || s.tried === 0).length;
  rows.push(['TOTAL', String(total.tried), String(total.r), String(total.e), String(total.c), String(total.b), String(total.a), failing ? `FAIL (${failing} endpoints)` : 'ok']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(0, -1).map(line), widths.map((w) => '-'.repeat(w)).join('  '), line(rows[rows.length - 1])].join('\n');
}

/** How the requests were refused by design, and of which kinds they were, over the whole run. */
export function formatBreakdown(result: FuzzResult): string {
  const kinds: Record<string, number> = {};
  const by: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  for (const s of result.stats) {
    for (const [k, n] of Object.entries(s.kinds)) kinds[k] = (kinds[k] ?? 0) + (n ?? 0);
    for (const [k, n] of Object.entries(s.refusedBy)) by[k] = (by[k] ?? 0) + (n ?? 0);
    for (const [k, n] of Object.entries(s.statuses)) statuses[k] = (statuses[k] ?? 0) + n;
  }
  const fmt = (o: Record<string, number>) =>
    Object.entries(o)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  return [`mutation kinds: ${fmt(kinds)}`, `refused by design through: ${fmt(by)}`, `answers: ${fmt(statuses)}`].join('\n');
}

export function formatFailures(failures: Failure[], max = 40): string {
  const out: string[] = [];
  for (const f of failures.slice(0, max)) {
    out.push(`✗ ${f.label} — ${f.problem}`);
    out.push(`    mutation: ${f.kind}: ${f.detail} (expected refusal by ${f.refusedBy})`);
    out.push(`    request:  ${f.request.method} ${f.request.path} on port ${f.request.port}${f.request.chunked ? ' (chunked)' : ''}, x-request-id ${f.requestId}`);
    out.push(`              headers ${JSON.stringify(f.request.headers)}`);
    out.push(`              body ${f.request.bodyBytes} bytes: ${f.request.bodyPreview}`);
    out.push(`    answer:   ${f.answer.error ?? f.answer.status} after ${f.answer.ms} ms: ${f.answer.bodyPreview}`);
    for (const l of f.logLines ?? []) out.push(`    log:      ${l}`);
  }
  if (failures.length > max) out.push(`… and ${failures.length - max} more (see the JSON report)`);
  return out.join('\n');
}

/** Every service answers /health/ready with 200. */
export async function readiness(target: FuzzTarget): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [service, port] of Object.entries(target.servicePorts)) {
    const answer = await send({ port, method: 'GET', path: '/health/ready', headers: {} }, 10_000);
    out[service] = answer.error ? `no answer (${answer.error})` : answer.status === 200 ? 'ready' : `${answer.status} ${preview(answer.body, 200)}`;
  }
  return out;
}

/** A seed from FUZZ_SEED, or a fresh one. */
export function seedFrom(env: NodeJS.ProcessEnv): number {
  const given = env.FUZZ_SEED;
  if (given !== undefined && given !== '') {
    const n = Number(given);
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`FUZZ_SEED must be a whole number from 0 to 4294967295, got "${given}"`);
    return n;
  }
  return Math.floor(Math.random() * 0xffffffff);
}
