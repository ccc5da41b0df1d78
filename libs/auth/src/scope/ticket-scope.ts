import { AuthenticatedUser } from '../nest/authenticated-user';

/** Which tickets a user may see (数据权限): services filter queries by it and answer 404 outside it. */
export type TicketScope =
  | { kind: 'all' }
  | { kind: 'department'; departmentId: string }
  | { kind: 'region'; regionCode: string }
  | { kind: 'none' };

/**
 * A handler sees its own department's tickets (承办单位), a district supervisor its district's,
 * the municipal roles see everything; a channel account sees none through the ticket queries.
 */
export function ticketScopeOf(user: AuthenticatedUser): TicketScope {
  switch (user.role) {
    case 'handler':
      return user.departmentId ? { kind: 'department', departmentId: user.departmentId } : { kind: 'none' };
    case 'supervisor':
      return user.regionCode ? { kind: 'region', regionCode: user.regionCode } : { kind: 'all' };
    case 'leader':
    case 'admin':
    case 'operator':
    case 'dispatcher':
      return { kind: 'all' };
    case 'channel':
      return { kind: 'none' };
    default:
      // A role added to ROLES without a decision here sees nothing until someone decides.
      return { kind: 'none' };
  }
}

export function isInScope(
  scope: TicketScope,
  ticket: { departmentId?: string | null; regionCode?: string | null },
): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'department':
      return ticket.departmentId === scope.departmentId;
    case 'region':
      return ticket.regionCode === scope.regionCode;
    default:
      return false;
  }
}
