import { Role } from '@hotline/contracts';
import { AccessClaims } from '../token/access-token';

/** The caller of a request, as the token says; on `request.user` and through @CurrentUser(). */
export interface AuthenticatedUser {
  id: string;
  username: string;
  role: Role;
  /** 承办单位 — set for handlers. */
  departmentId?: string;
  /** Set for a district supervisor. */
  regionCode?: string;
  /** Set for channel accounts. */
  channel?: string;
}

export function userFromClaims(claims: AccessClaims): AuthenticatedUser {
  const user: AuthenticatedUser = { id: claims.sub, username: claims.username, role: claims.role };
  if (claims.departmentId !== undefined) user.departmentId = claims.departmentId;
  if (claims.regionCode !== undefined) user.regionCode = claims.regionCode;
  if (claims.channel !== undefined) user.channel = claims.channel;
  return user;
}
