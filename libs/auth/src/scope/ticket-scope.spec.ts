import { AuthenticatedUser } from '../nest/authenticated-user';
import { isInScope, ticketScopeOf } from './ticket-scope';

const user = (role: AuthenticatedUser['role'], extra: Partial<AuthenticatedUser> = {}): AuthenticatedUser => ({
  id: `u-${role}`,
  username: role,
  role,
  ...extra,
});

describe('ticket scope (数据权限)', () => {
  it.each([
    [user('handler', { departmentId: 'dep-500103' }), { kind: 'department', departmentId: 'dep-500103' }],
    [user('handler'), { kind: 'none' }],
    [user('handler', { departmentId: '' }), { kind: 'none' }],
    [user('supervisor', { regionCode: '500103' }), { kind: 'region', regionCode: '500103' }],
    [user('supervisor'), { kind: 'all' }],
    [user('leader'), { kind: 'all' }],
    [user('admin'), { kind: 'all' }],
    [user('operator'), { kind: 'all' }],
    [user('dispatcher'), { kind: 'all' }],
    [user('channel', { channel: 'web' }), { kind: 'none' }],
    // A handler's region or a leader's department does not narrow or widen anything.
    [user('handler', { departmentId: 'dep-1', regionCode: '500103' }), { kind: 'department', departmentId: 'dep-1' }],
    [user('leader', { departmentId: 'dep-1' }), { kind: 'all' }],
  ])('%o → %o', (u, scope) => {
    expect(ticketScopeOf(u)).toEqual(scope);
  });

  it('an unknown role sees nothing', () => {
    expect(ticketScopeOf(user('root' as never))).toEqual({ kind: 'none' });
  });

  it('decides per ticket', () => {
    const ticket = { departmentId: 'dep-500103', regionCode: '500103' };
    expect(isInScope({ kind: 'all' }, ticket)).toBe(true);
    expect(isInScope({ kind: 'all' }, {})).toBe(true);
    expect(isInScope({ kind: 'none' }, ticket)).toBe(false);
    expect(isInScope({ kind: 'department', departmentId: 'dep-500103' }, ticket)).toBe(true);
    expect(isInScope({ kind: 'department', departmentId: 'dep-500104' }, ticket)).toBe(false);
    expect(isInScope({ kind: 'department', departmentId: 'dep-500103' }, { departmentId: null, regionCode: '500103' })).toBe(false);
    expect(isInScope({ kind: 'region', regionCode: '500103' }, ticket)).toBe(true);
    expect(isInScope({ kind: 'region', regionCode: '500104' }, ticket)).toBe(false);
    expect(isInScope({ kind: 'region', regionCode: '500103' }, { departmentId: 'dep-500103' })).toBe(false);
  });
});
