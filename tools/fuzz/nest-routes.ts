import 'reflect-metadata';
import { ParseUUIDPipe, RequestMethod, Type } from '@nestjs/common';
import {
  METHOD_METADATA,
  MODULE_METADATA,
  PARAMTYPES_METADATA,
  PATH_METADATA,
  ROUTE_ARGS_METADATA,
  SSE_METADATA,
} from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ALLOWED_ROLES, PUBLIC_ROUTE } from '@hotline/auth';
import type { Role } from '@hotline/contracts';
import { AssignmentModule } from '../../apps/assignment/src/assignment.module';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { IntakeModule } from '../../apps/intake/src/intake.module';
import { MetricsModule } from '../../apps/metrics/src/metrics.module';
import { SupervisionModule } from '../../apps/supervision/src/supervision.module';

export type ServiceName = 'gateway' | 'intake' | 'assignment' | 'supervision' | 'metrics';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A route as Nest will serve it, read from the decorators' metadata of the service's module tree. */
export interface DiscoveredRoute {
  service: ServiceName;
  method: HttpMethod;
  /** `/api/tickets/:id/accept` */
  path: string;
  controller: string;
  handler: string;
  sse: boolean;
  /** `public` for @Public(), otherwise the roles of @Roles() (method over controller). */
  access: 'public' | Role[];
  /** The class of the @Body() argument, when it is a class (the validation pipe only checks classes). */
  body?: Type<unknown>;
  /** The class of the @Query() argument. */
  query?: Type<unknown>;
  /** Path parameters, and whether each is checked as a UUID by its pipe. */
  params: { name: string; uuidPipe: boolean }[];
}

export const ROOT_MODULES: Record<ServiceName, Type<unknown>> = {
  gateway: GatewayModule,
  intake: IntakeModule,
  assignment: AssignmentModule,
  supervision: SupervisionModule,
  metrics: MetricsModule,
};

const METHODS: Partial<Record<RequestMethod, HttpMethod>> = {
  [RequestMethod.GET]: 'GET',
  [RequestMethod.POST]: 'POST',
  [RequestMethod.PUT]: 'PUT',
  [RequestMethod.PATCH]: 'PATCH',
  [RequestMethod.DELETE]: 'DELETE',
};

type ModuleRef = Type<unknown> | { module: Type<unknown>; controllers?: Type<unknown>[]; imports?: ModuleRef[] };

/** Every controller class a module brings in, its imports' (static and dynamic) included. */
export function controllersOf(root: Type<unknown>): Type<unknown>[] {
  const seen = new Set<unknown>();
  const controllers = new Set<Type<unknown>>();
  const visit = (ref: ModuleRef | undefined) => {
    if (!ref || seen.has(ref)) return;
    seen.add(ref);
    const isDynamic = typeof ref === 'object' && 'module' in ref;
    const moduleClass = isDynamic ? ref.module : ref;
    const own: Type<unknown>[] = Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, moduleClass) ?? [];
    const imports: ModuleRef[] = Reflect.getMetadata(MODULE_METADATA.IMPORTS, moduleClass) ?? [];
    for (const c of [...own, ...(isDynamic ? (ref.controllers ?? []) : [])]) controllers.add(c);
    for (const i of [...imports, ...(isDynamic ? (ref.imports ?? []) : [])]) visit(i);
    if (isDynamic) visit(moduleClass);
  };
  visit(root);
  return [...controllers];
}

function joinPaths(...parts: (string | string[] | undefined)[]): string {
  const segments = parts
    .map((p) => (Array.isArray(p) ? p[0] : p) ?? '')
    .flatMap((p) => p.split('/'))
    .filter((s) => s !== '');
  return `/${segments.join('/')}`;
}

function accessOf(handler: object, controller: object): 'public' | Role[] {
  for (const target of [handler, controller]) {
    const roles: Role[] | undefined = Reflect.getMetadata(ALLOWED_ROLES, target);
    if (roles) return roles;
    if (Reflect.getMetadata(PUBLIC_ROUTE, target)) return 'public';
  }
  return [];
}

interface RouteArg {
  index: number;
  data?: unknown;
  pipes?: unknown[];
}

/** The routes one service serves. */
export function discoverServiceRoutes(service: ServiceName): DiscoveredRoute[] {
  const routes: DiscoveredRoute[] = [];
  for (const controller of controllersOf(ROOT_MODULES[service])) {
    const base: string | string[] = Reflect.getMetadata(PATH_METADATA, controller);
    const proto = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor') continue;
      const fn = proto[name];
      if (typeof fn !== 'function') continue;
      const requestMethod: RequestMethod | undefined = Reflect.getMetadata(METHOD_METADATA, fn);
      const sub: string | string[] | undefined = Reflect.getMetadata(PATH_METADATA, fn);
      if (requestMethod === undefined || sub === undefined) continue;
      const method = METHODS[requestMethod];
      if (!method) throw new Error(`${controller.name}.${name}: unsupported request method ${RequestMethod[requestMethod]}`);
      const args: Record<string, RouteArg> = Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {};
      const types: unknown[] = Reflect.getMetadata(PARAMTYPES_METADATA, proto, name) ?? [];
      const route: DiscoveredRoute = {
        service,
        method,
        path: joinPaths(base, sub),
        controller: controller.name,
        handler: name,
        sse: !!Reflect.getMetadata(SSE_METADATA, fn),
        access: accessOf(fn, controller),
        params: [],
      };
      for (const [key, arg] of Object.entries(args)) {
        const kind = Number(key.split(':')[0]);
        const type = types[arg.index];
        const isClass = typeof type === 'function' && ![String, Number, Boolean, Object, Array].includes(type as never);
        if (kind === RouteParamtypes.BODY && isClass && arg.data === undefined) route.body = type as Type<unknown>;
        if (kind === RouteParamtypes.QUERY && isClass && arg.data === undefined) route.query = type as Type<unknown>;
        if (kind === RouteParamtypes.PARAM && typeof arg.data === 'string') {
          route.params.push({ name: arg.data, uuidPipe: (arg.pipes ?? []).some((p) => p instanceof ParseUUIDPipe) });
        }
      }
      routes.push(route);
    }
  }
  return routes;
}

/** Every route of every service. */
export function discoverRoutes(): DiscoveredRoute[] {
  return (Object.keys(ROOT_MODULES) as ServiceName[]).flatMap((s) => discoverServiceRoutes(s));
}

export function routeKey(r: { service: string; method: string; path: string }): string {
  return `${r.service} ${r.method} ${r.path}`;
}
