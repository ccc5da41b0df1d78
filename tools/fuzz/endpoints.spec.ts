import { findRoute } from '../../apps/gateway/src/proxy/route-table';
import { fieldsOf, parseBodyLikeService, parseQuery, validateLikeService } from './dto-shape';
import { Endpoint, endpointKey, ENDPOINTS, pathParams } from './endpoints';
import { pairWithRoutes } from './fuzz-run';
import { Credentials, EndpointPlanner, GATEWAY_OWN_BODY_LIMIT, FORWARDED_BODY_LIMIT, MUTATION_KINDS, PlannedRequest } from './mutations';
import { discoverRoutes, DiscoveredRoute, routeKey } from './nest-routes';
import { endpointRandom } from './random';

const routes = discoverRoutes();
const byKey = new Map(routes.map((r) => [routeKey(r), r]));
const credentials: Credentials = {
  tokens: { admin: 't-admin', operator: 't-operator', dispatcher: 't-dispatcher', supervisor: 't-supervisor', leader: 't-leader', handler: 't-handler' },
  channelKey: 'hk_test',
  jwtSecret: 'unit-test-secret-0123456789abcdef0123456789',
};

function routeOf(e: Endpoint): DiscoveredRoute {
  const route = byKey.get(endpointKey(e));
  if (!route) throw new Error(`no route for ${endpointKey(e)}`);
  return route;
}

describe('the fuzz catalogue', () => {
  it('finds the routes of all five services in their modules', () => {
    expect(new Set(routes.map((r) => r.service))).toEqual(new Set(['gateway', 'intake', 'assignment', 'supervision', 'metrics']));
    expect(routes.length).toBeGreaterThan(90);
  });

  it('lists every route a controller declares, so no endpoint escapes fuzzing', () => {
    const listed = new Set(ENDPOINTS.map(endpointKey));
    const missing = routes.map(routeKey).filter((k) => !listed.has(k));
    expect(missing).toEqual([]);
  });

  it('lists no route that does not exist, and each one once', () => {
    const keys = ENDPOINTS.map(endpointKey);
    expect(keys.filter((k) => !byKey.has(k))).toEqual([]);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it.each(ENDPOINTS.map((e) => [endpointKey(e), e] as const))('%s is called as a caller the route admits', (_, e) => {
    const route = routeOf(e);
    if (route.access === 'public') expect(e.as).toBe('public');
    else expect(route.access).toContain(e.as);
  });

  it.each(ENDPOINTS.filter((e) => pathParams(e.path).length).map((e) => [endpointKey(e), e] as const))(
    '%s checks each path parameter as a UUID',
    (_, e) => {
      const route = routeOf(e);
      expect(route.params.map((p) => p.name).sort()).toEqual(pathParams(e.path).sort());
      expect(route.params.every((p) => p.uuidPipe)).toBe(true);
    },
  );

  it.each(ENDPOINTS.map((e) => [endpointKey(e), e] as const))('%s has a valid example for its DTOs', async (_, e) => {
    const route = routeOf(e);
    expect(e.body !== undefined).toBe(!!route.body);
    expect(e.query !== undefined).toBe(!!route.query);
    if (route.body) {
      const parsed = parseBodyLikeService(Buffer.from(JSON.stringify(e.body)), 'application/json', e.method, e.service === 'gateway' ? GATEWAY_OWN_BODY_LIMIT : FORWARDED_BODY_LIMIT);
      expect(parsed.refused).toBe(false);
      await expect(validateLikeService(route.body, 'body', parsed.refused ? undefined : parsed.value)).resolves.toEqual({ outcome: 'accepted' });
    }
    if (route.query) {
      const query = parseQuery(new URLSearchParams(e.query).toString());
      await expect(validateLikeService(route.query, 'query', query)).resolves.toEqual({ outcome: 'accepted' });
      // The example names only fields of the DTO (each of the DTO's fields is fuzzed either way).
      const fields = fieldsOf(route.query).map((f) => f.name);
      expect(Object.keys(e.query ?? {}).filter((k) => !fields.includes(k))).toEqual([]);
    }
  });

  it.each(ENDPOINTS.filter((e) => !e.direct && e.service !== 'gateway').map((e) => [endpointKey(e), e] as const))(
    '%s is forwarded by the gateway to its service',
    (_, e) => {
      const concrete = e.path.replace(/:[A-Za-z]+/g, '0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6b');
      expect(findRoute(e.method, concrete)?.upstream).toBe(e.service);
    },
  );
});

describe('the fuzz planner', () => {
  const pairs = pairWithRoutes(routes);
  const planned = new Map<string, PlannedRequest[]>();

  beforeAll(async () => {
    for (const { endpoint, route } of pairs) {
      const planner = new EndpointPlanner(endpoint, route, credentials, endpointRandom(42, endpointKey(endpoint)));
      planned.set(endpointKey(endpoint), await planner.plan(16));
    }
  }, 120_000);

  it('plans the requested number of requests for every endpoint', () => {
    const short = [...planned].filter(([, list]) => list.length < 16).map(([k, list]) => `${k}: ${list.length}`);
    expect(short).toEqual([]);
  });

  it('uses every kind of mutation somewhere', () => {
    const used = new Set([...planned.values()].flat().map((r) => r.kind));
    expect(MUTATION_KINDS.filter((k) => !used.has(k))).toEqual([]);
  });

  it('plans only requests that cannot be valid: each one names what refuses it', async () => {
    const wrong: string[] = [];
    for (const { endpoint, route } of pairs) {
      for (const r of planned.get(endpointKey(endpoint)) ?? []) {
        if (r.refusedBy !== 'validation' && r.refusedBy !== 'validation (poisoned)') continue;
        // Re-judge independently: the body and query must fail the service's own validation.
        const query = parseQuery(r.path.includes('?') ? r.path.slice(r.path.indexOf('?') + 1) : '');
        const verdicts = [];
        if (route.query) verdicts.push(await validateLikeService(route.query, 'query', query));
        if (route.body) {
          const parsed = parseBodyLikeService(r.body, r.headers['content-type'] ?? null, r.method, endpoint.service === 'gateway' ? GATEWAY_OWN_BODY_LIMIT : FORWARDED_BODY_LIMIT);
          if (parsed.refused) continue;
          verdicts.push(await validateLikeService(route.body, 'body', parsed.value));
        }
        if (!verdicts.some((v) => v.outcome !== 'accepted')) wrong.push(`${endpointKey(endpoint)}: ${r.kind} ${r.detail}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('keeps semantic and boundary (validator-passing) values to read-only endpoints', () => {
    const sentAsIs = [...planned.values()].flat().filter((r) => r.refusedBy.startsWith('handler'));
    expect(sentAsIs.filter((r) => r.endpoint.method !== 'GET').map((r) => r.detail)).toEqual([]);
    expect(sentAsIs.filter((r) => r.mayAnswer && r.refusedBy !== 'handler, or an empty answer (boundary)')).toEqual([]);
  });

  it('repeats a run exactly from its seed', async () => {
    const pair = pairs.find((p) => p.endpoint.path === '/api/tickets' && p.endpoint.method === 'POST');
    if (!pair) throw new Error('POST /api/tickets is not in the catalogue');
    const { endpoint, route } = pair;
    const plan = () => new EndpointPlanner(endpoint, route, credentials, endpointRandom(7, endpointKey(endpoint))).plan(20);
    const [a, b] = await Promise.all([plan(), plan()]);
    const view = (list: PlannedRequest[]) => list.map((r) => [r.method, r.path, r.detail, r.body?.toString('base64')]);
    expect(view(a)).toEqual(view(b));
  });
});
