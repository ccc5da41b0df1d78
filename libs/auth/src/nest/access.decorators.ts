import { SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role, ROLES } from '@hotline/contracts';
import { IS_PUBLIC, Public } from '@hotline/platform';

/**
 * `@Public()` — anyone may call the route, without a token (login, health). It is defined in
 * libs/platform, beneath this library, so the platform's own health endpoints can carry it;
 * re-exported here so services take every access decorator from one place.
 */
export { Public };

export const PUBLIC_ROUTE = IS_PUBLIC;
export const ALLOWED_ROLES = 'hotline:auth:roles';

/**
 * Only these roles may call this route. Checked when the class is loaded, so a typo or an
 * empty list fails at start instead of silently locking everyone out.
 */
export function Roles(...roles: Role[]): MethodDecorator & ClassDecorator {
  if (!roles.length) throw new Error('@Roles() needs at least one role');
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length) throw new Error(`@Roles() got unknown role(s): ${unknown.join(', ')}`);
  return SetMetadata(ALLOWED_ROLES, [...new Set(roles)]);
}

export type RouteAccess = { kind: 'public' } | { kind: 'roles'; roles: Role[] } | { kind: 'undeclared' };

/**
 * What a route declares. The method's own declaration wins over its controller's, so a public
 * login route can live in a controller restricted by roles and vice versa; where one level says
 * both, the restriction wins.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- Nest handlers and classes are plain Functions
export function routeAccess(reflector: Reflector, targets: Function[]): RouteAccess {
  for (const target of targets) {
    const roles = reflector.get<Role[] | undefined>(ALLOWED_ROLES, target);
    if (roles) return { kind: 'roles', roles };
    if (reflector.get<boolean | undefined>(PUBLIC_ROUTE, target)) return { kind: 'public' };
  }
  return { kind: 'undeclared' };
}
