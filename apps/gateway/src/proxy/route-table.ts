import type { GatewayEnvironment } from '../gateway.environment';

export type UpstreamName = 'intake' | 'assignment' | 'supervision' | 'metrics';

/** How a forwarded request proves who it is: a user's bearer token, or a channel's API key. */
export type RouteAccess = 'token' | 'channel-key';

export interface ProxyRoute {
  methods: readonly string[];
  pattern: RegExp;
  upstream: UpstreamName;
  access: RouteAccess;
}

const UUID_SEGMENT = '[^/]+';

/**
 * Which service owns which public path (API.md). The gateway forwards the path unchanged;
 * the owning service checks the token again and decides roles and scope.
 */
export const ROUTES: readonly ProxyRoute[] = [
  { methods: ['POST'], pattern: /^\/api\/channel\/tickets$/, upstream: 'intake', access: 'channel-key' },
  { methods: ['POST'], pattern: /^\/api\/tickets$/, upstream: 'intake', access: 'token' },
  { methods: ['GET'], pattern: new RegExp(`^/api/tickets/${UUID_SEGMENT}/caller(/reveals)?$`), upstream: 'intake', access: 'token' },
  { methods: ['POST'], pattern: new RegExp(`^/api/tickets/${UUID_SEGMENT}/caller/reveal$`), upstream: 'intake', access: 'token' },
  { methods: ['POST'], pattern: new RegExp(`^/api/tickets/${UUID_SEGMENT}/supplements$`), upstream: 'intake', access: 'token' },
  { methods: ['GET', 'POST'], pattern: /^\/api\/intake\/[a-z-/]+$/, upstream: 'intake', access: 'token' },
  { methods: ['GET'], pattern: /^\/api\/categories$/, upstream: 'intake', access: 'token' },
  { methods: ['GET'], pattern: /^\/api\/knowledge(\/[^/]+)?$/, upstream: 'intake', access: 'token' },
  { methods: ['GET', 'POST', 'PUT'], pattern: /^\/api\/admin\/knowledge(\/[^/]+(\/(retire|versions))?)?$/, upstream: 'intake', access: 'token' },
  {
    methods: ['POST'],
    pattern: new RegExp(
      `^/api/tickets/${UUID_SEGMENT}/(accept|reply|return|extension-requests|pause-requests|co-handling-notes|dispatch|return-decision|transfer)$`,
    ),
    upstream: 'assignment',
    access: 'token',
  },
  { methods: ['GET'], pattern: /^\/api\/assignment\/(inbox|dispatch-queue)$/, upstream: 'assignment', access: 'token' },
  {
    methods: ['POST'],
    pattern: new RegExp(`^/api/tickets/${UUID_SEGMENT}/(review|callback|urge|supervise|resume)$`),
    upstream: 'supervision',
    access: 'token',
  },
  { methods: ['POST'], pattern: new RegExp(`^/api/(extension|pause)-requests/${UUID_SEGMENT}/decision$`), upstream: 'supervision', access: 'token' },
  { methods: ['GET'], pattern: /^\/api\/supervision\/(board|callbacks|requests)$/, upstream: 'supervision', access: 'token' },
  { methods: ['GET'], pattern: /^\/api\/calendar\/(deadline|days)$/, upstream: 'supervision', access: 'token' },
  { methods: ['GET', 'PUT'], pattern: /^\/api\/admin\/(calendar|sla-policies)$/, upstream: 'supervision', access: 'token' },
  { methods: ['POST'], pattern: /^\/api\/admin\/sla-clocks\/recompute$/, upstream: 'supervision', access: 'token' },
  { methods: ['GET', 'POST', 'PUT'], pattern: /^\/api\/admin\/(routing-rules|departments)(\/[^/]+(\/[a-z-]+)?)?$/, upstream: 'assignment', access: 'token' },
  { methods: ['GET'], pattern: new RegExp(`^/api/tickets/${UUID_SEGMENT}/timeline$`), upstream: 'metrics', access: 'token' },
  { methods: ['GET'], pattern: new RegExp(`^/api/tickets/${UUID_SEGMENT}$`), upstream: 'metrics', access: 'token' },
  { methods: ['GET'], pattern: /^\/api\/tickets$/, upstream: 'metrics', access: 'token' },
  { methods: ['POST'], pattern: /^\/api\/tickets\/export$/, upstream: 'metrics', access: 'token' },
  { methods: ['GET'], pattern: /^\/api\/departments$/, upstream: 'assignment', access: 'token' },
  { methods: ['GET', 'POST'], pattern: /^\/api\/metrics(\/.*)?$/, upstream: 'metrics', access: 'token' },
  { methods: ['GET', 'PUT'], pattern: /^\/api\/admin\/scoring-formula$/, upstream: 'metrics', access: 'token' },
];

export function upstreamUrls(env: GatewayEnvironment): Record<UpstreamName, string> {
  return {
    intake: env.INTAKE_URL,
    assignment: env.ASSIGNMENT_URL,
    supervision: env.SUPERVISION_URL,
    metrics: env.METRICS_URL,
  };
}

export function findRoute(method: string, path: string): ProxyRoute | undefined {
  return ROUTES.find((r) => r.methods.includes(method) && r.pattern.test(path));
}
