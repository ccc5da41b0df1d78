import { signAccessToken } from '@hotline/auth';
import { readTopics, waitFor } from '@hotline/testing';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { call, CallOptions, DEMO_PASSWORD, newTicket, tokenOf } from './support/gateway-client';

const STAFF = ['operator', 'dispatcher', 'handler', 'supervisor', 'leader', 'admin'] as const;
type StaffRole = (typeof STAFF)[number];
/** The demo user that plays each role; the handler works for 渝中区 (500103). */
const USER_OF: Record<StaffRole, string> = {
  operator: 'operator',
  dispatcher: 'dispatcher',
  handler: 'handler.500103',
  supervisor: 'supervisor',
  leader: 'leader',
  admin: 'admin',
};
/** Phone numbers used in this file: none may appear unmasked where it should not. */
const PHONES = ['13800138001', '13800138002', '02367700003'];

interface Endpoint {
  method: string;
  path: () => string;
  body?: () => unknown;
  allowed: readonly StaffRole[];
}

/** An id no user or key has: allowed callers get 404 for it, which is not 401 or 403. */
const NOBODY = '01a20594-0000-7000-8000-00000000beef';
let yuzhong: { id: string; number: string }; // a ticket of 渝中区, in the demo handler's department
let jiangbei: { id: string; number: string }; // a ticket of 江北区, outside it
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

const ENDPOINTS: Endpoint[] = [
  { method: 'POST', path: () => '/api/tickets', body: () => newTicket({ caller: { name: '王先生', phone: PHONES[0] } }), allowed: ['operator'] },
  { method: 'GET', path: () => '/api/tickets', allowed: STAFF },
  { method: 'GET', path: () => `/api/tickets/${yuzhong.id}`, allowed: STAFF },
  { method: 'GET', path: () => `/api/tickets/${yuzhong.id}/timeline`, allowed: STAFF },
  { method: 'GET', path: () => `/api/tickets/${yuzhong.id}/caller`, allowed: ['operator', 'dispatcher', 'supervisor', 'admin'] },
  { method: 'POST', path: () => `/api/tickets/${yuzhong.id}/caller/reveal`, body: () => ({ reason: '回访需要拨打来电人电话' }), allowed: ['operator', 'supervisor'] },
  { method: 'GET', path: () => `/api/tickets/${yuzhong.id}/caller/reveals`, allowed: ['supervisor', 'admin'] },
  { method: 'GET', path: () => '/api/departments', allowed: STAFF },
  { method: 'GET', path: () => `/api/metrics/daily?day=${today()}`, allowed: ['leader', 'supervisor'] },
  { method: 'GET', path: () => '/api/auth/me', allowed: STAFF },
  { method: 'GET', path: () => '/api/admin/users', allowed: ['admin'] },
  { method: 'POST', path: () => '/api/admin/users', body: () => ({ username: 'x' }), allowed: ['admin'] },
  { method: 'GET', path: () => '/api/admin/audit', allowed: ['admin'] },
  { method: 'GET', path: () => '/api/admin/channel-keys', allowed: ['admin'] },
  { method: 'POST', path: () => '/api/admin/channel-keys', body: () => ({}), allowed: ['admin'] },
  { method: 'POST', path: () => `/api/admin/channel-keys/${NOBODY}/revoke`, allowed: ['admin'] },
  { method: 'PUT', path: () => `/api/admin/users/${NOBODY}`, body: () => ({ displayName: '某人' }), allowed: ['admin'] },
  { method: 'POST', path: () => `/api/admin/users/${NOBODY}/disable`, allowed: ['admin'] },
  { method: 'POST', path: () => `/api/admin/users/${NOBODY}/enable`, allowed: ['admin'] },
  { method: 'POST', path: () => `/api/admin/users/${NOBODY}/reset-password`, body: () => ({ password: 'Str0ng!Passw0rd' }), allowed: ['admin'] },
  { method: 'POST', path: () => '/api/auth/logout', body: () => ({ refreshToken: 'not-a-real-one' }), allowed: STAFF },
];

async function as(role: StaffRole | string): Promise<CallOptions> {
  return { token: await tokenOf(USER_OF[role as StaffRole] ?? role) };
}

async function createTicket(regionCode: string, phone: string) {
  const answer = await call<{ id: string; number: string }>(
    'POST',
    '/api/tickets',
    newTicket({ regionCode, caller: { name: '欧阳娜娜', phone, idNumber: '11010519491231002X' } }),
    await as('operator'),
  );
  expect(answer.status).toBe(201);
  // Wait until the ticket is projected (and so can be scoped) before the matrix reads it.
  await waitFor('the ticket view', async () => (await call('GET', `/api/tickets/${answer.body.id}`, undefined, await as('admin'))).status === 200);
  await waitFor('its assignment', async () => {
    const view = await call<{ departmentId: string | null }>('GET', `/api/tickets/${answer.body.id}`, undefined, await as('admin'));
    return view.body.departmentId !== null;
  });
  return answer.body;
}

beforeAll(async () => {
  yuzhong = await createTicket('500103', PHONES[1]);
  jiangbei = await createTicket('500105', PHONES[2]);
});

describe('every endpoint × every role', () => {
  const cases = ENDPOINTS.flatMap((e) => STAFF.map((role) => [`${e.method} ${e.path.toString().slice(6, 60)}`, role, e] as const));

  it.each(cases)('%s as %s', async (_name, role, endpoint) => {
    const answer = await call(endpoint.method, endpoint.path(), endpoint.body?.(), await as(role));
    if (endpoint.allowed.includes(role)) {
      expect({ role, status: answer.status }).not.toEqual({ role, status: 403 });
      expect(answer.status).not.toBe(401);
      expect(answer.status).toBeLessThan(500);
      if (endpoint.method === 'GET') expect({ role, status: answer.status }).toEqual({ role, status: 200 });
    } else {
      expect({ role, status: answer.status }).toEqual({ role, status: 403 });
    }
  });

  const forged = {
    'no token': async () => undefined,
    'an expired token': async () =>
      signAccessToken({ sub: 'x', username: 'admin', role: 'admin' }, process.env.E2E_JWT_SECRET as string, 60, Date.now() - 3_600_000),
    'a tampered token': async () => {
      const [h, p, s] = (await tokenOf('operator')).split('.');
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
      return [h, Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url'), s].join('.');
    },
    'a token signed with another secret': async () =>
      signAccessToken({ sub: 'x', username: 'admin', role: 'admin' }, 'another-secret-that-is-long-enough-0000', 600),
    'a channel token': async () =>
      signAccessToken({ sub: 'k', username: 'partner', role: 'channel', channel: 'partner' }, process.env.E2E_JWT_SECRET as string, 600),
  };
  const forgedCases = ENDPOINTS.flatMap((e) => Object.keys(forged).map((what) => [`${e.method} ${e.path.toString().slice(6, 60)}`, what, e] as const));

  it.each(forgedCases)('%s with %s is refused', async (_name, what, endpoint) => {
    const token = await forged[what as keyof typeof forged]();
    const answer = await call<{ message: string[] }>(endpoint.method, endpoint.path(), endpoint.body?.(), { token });
    // A valid channel token is a real identity without the role: 403; anything forged: 401.
    expect(answer.status).toBe(what === 'a channel token' ? 403 : 401);
    expect(answer.body.message.length).toBeGreaterThan(0);
  });

  it('is enforced by each service itself, not only by the gateway', async () => {
    const ports = JSON.parse(process.env.E2E_SERVICE_PORTS as string) as Record<string, number>;
    const direct = (port: number, p: string, token?: string) =>
      fetch(`http://127.0.0.1:${port}${p}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await direct(ports.metrics, `/api/tickets/${yuzhong.id}/timeline`)).status).toBe(401);
    expect((await direct(ports.assignment, '/api/departments')).status).toBe(401);
    expect((await direct(ports.intake, `/api/tickets/${yuzhong.id}/caller`)).status).toBe(401);
    const post = await fetch(`http://127.0.0.1:${ports.intake}/api/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(newTicket()),
    });
    expect(post.status).toBe(401);
    expect((await direct(ports.metrics, `/api/tickets/${yuzhong.id}/timeline`, await tokenOf('leader'))).status).toBe(200);
    expect((await direct(ports.metrics, '/health/ready')).status).toBe(200);
  });
});

describe('department and region scope', () => {
  it('a 渝中区 handler gets 404 for a 江北区 ticket by id, by timeline, and does not find it in the list', async () => {
    const handler = await as('handler.500103');
    expect((await call('GET', `/api/tickets/${jiangbei.id}`, undefined, handler)).status).toBe(404);
    expect((await call('GET', `/api/tickets/${jiangbei.id}/timeline`, undefined, handler)).status).toBe(404);
    const list = await call<{ items: { id: string; departmentName: string }[]; total: number }>('GET', '/api/tickets?pageSize=200', undefined, handler);
    expect(list.body.items.some((t) => t.id === jiangbei.id)).toBe(false);
    expect(list.body.items.some((t) => t.id === yuzhong.id)).toBe(true);
    expect(list.body.items.every((t) => t.departmentName === '渝中区人力社保局')).toBe(true);
    const byNumber = await call<{ total: number }>('GET', `/api/tickets?q=${jiangbei.number}`, undefined, handler);
    expect(byNumber.body.total).toBe(0);
  });

  it('the 江北区 handler sees it; a 渝中区 district supervisor does not; a municipal supervisor does', async () => {
    expect((await call('GET', `/api/tickets/${jiangbei.id}`, undefined, await as('handler.500105'))).status).toBe(200);
    expect((await call('GET', `/api/tickets/${jiangbei.id}`, undefined, await as('supervisor.500103'))).status).toBe(404);
    expect((await call('GET', `/api/tickets/${yuzhong.id}`, undefined, await as('supervisor.500103'))).status).toBe(200);
    expect((await call('GET', `/api/tickets/${jiangbei.id}/caller`, undefined, await as('supervisor.500103'))).status).toBe(404);
    expect((await call('GET', `/api/tickets/${jiangbei.id}`, undefined, await as('supervisor'))).status).toBe(200);
  });
});

describe('personal data', () => {
  it('shows the caller masked, and in full only through an audited reveal', async () => {
    const masked = await call<{ name: string; phone: string; idNumber: string }>('GET', `/api/tickets/${yuzhong.id}/caller`, undefined, await as('operator'));
    expect(masked.body).toEqual({ name: '欧***', phone: '138****8002', idNumber: '110105********002X', masked: true });
    const reveal = await call<{ phone: string; idNumber: string }>(
      'POST',
      `/api/tickets/${yuzhong.id}/caller/reveal`,
      { reason: '回访时电话无人接听，核对号码' },
      await as('supervisor'),
    );
    expect(reveal.body).toMatchObject({ phone: PHONES[1], idNumber: '11010519491231002X', masked: false });
    const reveals = await call<{ actorUsername: string; reason: string; at: string }[]>('GET', `/api/tickets/${yuzhong.id}/caller/reveals`, undefined, await as('admin'));
    expect(reveals.body[0]).toMatchObject({ actorUsername: 'supervisor', reason: '回访时电话无人接听，核对号码' });
    expect(
      (await call('POST', `/api/tickets/${yuzhong.id}/caller/reveal`, { reason: '' }, await as('operator'))).status,
    ).toBe(400);
  });

  it('never puts a phone number in ticket lists, views or timelines', async () => {
    for (const role of STAFF) {
      const options = await as(role);
      for (const p of ['/api/tickets?pageSize=200', `/api/tickets/${yuzhong.id}`, `/api/tickets/${yuzhong.id}/timeline`]) {
        const answer = await call('GET', p, undefined, options);
        const text = JSON.stringify(answer.body);
        for (const phone of PHONES) expect({ role, p, leaked: text.includes(phone) }).toEqual({ role, p, leaked: false });
      }
    }
  });

  it('never puts a phone number on the Kafka topics', async () => {
    const ns = process.env.E2E_KAFKA_NAMESPACE as string;
    const records = await readTopics(
      ['hotline.intake.events.v1', 'hotline.assignment.events.v1', 'hotline.supervision.events.v1', 'hotline.metrics.dlq.v1'].map((t) => ns + t),
    );
    expect(records.length).toBeGreaterThan(0);
    for (const phone of PHONES) expect(records.filter((r) => `${r.value}${JSON.stringify(r.headers)}`.includes(phone))).toEqual([]);
  });

  it('stores phone and ID numbers encrypted at rest', async () => {
    const client = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query(
        'SELECT caller_phone_cipher AS phone, caller_id_number_cipher AS id FROM intake.ticket WHERE id = $1',
        [yuzhong.id],
      );
      expect(rows[0].phone).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(rows[0].phone).not.toContain(PHONES[1]);
      expect(rows[0].id).not.toContain('11010519491231002X');
      const { rows: leaks } = await client.query(
        `SELECT count(*)::int AS n FROM intake.ticket WHERE caller_phone_cipher LIKE '%' || $1 || '%'`,
        [PHONES[1]],
      );
      expect(leaks[0].n).toBe(0);
    } finally {
      await client.end();
    }
  });
});

describe('login protection and sessions', () => {
  let userId: string;
  const username = `lock.test.${Date.now().toString(36)}`;
  const password = 'Str0ng!Passw0rd';

  beforeAll(async () => {
    const created = await call<{ id: string }>(
      'POST',
      '/api/admin/users',
      { username, displayName: '锁定测试', role: 'operator', password },
      await as('admin'),
    );
    expect(created.status).toBe(201);
    userId = created.body.id;
  });

  it('locks an account after repeated failures, with a clear message, and audits it', async () => {
    for (let i = 0; i < 5; i += 1) {
      const wrong = await call('POST', '/api/auth/login', { username, password: 'wrong-password' });
      expect(wrong.status).toBe(401);
    }
    const locked = await call<{ message: string[] }>('POST', '/api/auth/login', { username, password });
    expect(locked.status).toBe(429);
    expect(locked.body.message[0]).toMatch(/locked/);
    const audit = await call<{ action: string; target: string }[]>('GET', '/api/admin/audit?limit=50', undefined, await as('admin'));
    const mine = audit.body.filter((e) => e.target === username).map((e) => e.action);
    expect(mine).toContain('login.locked');
    expect(mine.filter((a) => a === 'login.failed').length).toBeGreaterThanOrEqual(4);
  });

  it('an administrator’s password reset unlocks it; disabling refuses logins and ends sessions', async () => {
    const admin = await as('admin');
    expect((await call('POST', `/api/admin/users/${userId}/reset-password`, { password: 'An0ther!Passw0rd' }, admin)).status).toBe(204);
    const login = await call<{ accessToken: string; refreshToken: string }>('POST', '/api/auth/login', { username, password: 'An0ther!Passw0rd' });
    expect(login.status).toBe(200);
    expect((await call('POST', `/api/admin/users/${userId}/disable`, undefined, admin)).status).toBe(200);
    expect((await call('POST', '/api/auth/login', { username, password: 'An0ther!Passw0rd' })).status).toBe(403);
    expect((await call('POST', '/api/auth/refresh', { refreshToken: login.body.refreshToken })).status).toBe(401);
  });

  it('rotates refresh tokens and ends every session when an old one comes back', async () => {
    const first = await call<{ refreshToken: string }>('POST', '/api/auth/login', { username: 'leader', password: DEMO_PASSWORD });
    const second = await call<{ accessToken: string; refreshToken: string }>('POST', '/api/auth/refresh', { refreshToken: first.body.refreshToken });
    expect(second.status).toBe(200);
    expect((await call('GET', '/api/auth/me', undefined, { token: second.body.accessToken })).body).toMatchObject({ username: 'leader', role: 'leader' });
    expect((await call('POST', '/api/auth/refresh', { refreshToken: first.body.refreshToken })).status).toBe(401);
    expect((await call('POST', '/api/auth/refresh', { refreshToken: second.body.refreshToken })).status).toBe(401);
  });

  it('refuses weak passwords and a handler without a department, naming the field', async () => {
    const admin = await as('admin');
    const weak = await call<{ message: string[] }>('POST', '/api/admin/users', { username: 'weak.one', displayName: '弱', role: 'operator', password: 'aaaaaaaaaa' }, admin);
    expect(weak.status).toBe(400);
    expect(weak.body.message.join()).toMatch(/^password:/);
    const homeless = await call<{ message: string[] }>('POST', '/api/admin/users', { username: 'no.dept', displayName: '无', role: 'handler', password }, admin);
    expect(homeless.status).toBe(400);
    expect(homeless.body.message.join()).toMatch(/departmentId/);
  });
});

describe('channel API keys', () => {
  it('lets a direct-report point create tickets with its key, rate-limited, until revoked', async () => {
    const admin = await as('admin');
    const created = await call<{ id: string; key: string; channel: string }>(
      'POST',
      '/api/admin/channel-keys',
      { name: '渝中区解放碑直报点', channel: 'direct-report', ratePerMinute: 2 },
      admin,
    );
    expect(created.status).toBe(201);
    const withKey = { headers: { 'x-api-key': created.body.key } };
    const first = await call<{ id: string }>('POST', '/api/channel/tickets', newTicket(), withKey);
    expect(first.status).toBe(201);
    const received = await waitFor('the channel ticket', async () => {
      const t = await call<{ type: string; payload: { channel: string }; actor: { role: string } }[]>(
        'GET',
        `/api/tickets/${first.body.id}/timeline`,
        undefined,
        admin,
      );
      return t.status === 200 ? t.body.find((e) => e.type === 'ticket.received') : undefined;
    });
    expect(received.payload.channel).toBe('direct-report');
    expect(received.actor.role).toBe('channel');
    expect((await call('POST', '/api/channel/tickets', newTicket(), withKey)).status).toBe(201);
    expect((await call('POST', '/api/channel/tickets', newTicket(), withKey)).status).toBe(429);
    expect((await call('POST', `/api/admin/channel-keys/${created.body.id}/revoke`, undefined, admin)).status).toBe(200);
    expect((await call('POST', '/api/channel/tickets', newTicket(), withKey)).status).toBe(401);
    expect((await call('POST', '/api/channel/tickets', newTicket(), { headers: { 'x-api-key': 'hk_made_up' } })).status).toBe(401);
    const list = await call<{ id: string; key?: string }[]>('GET', '/api/admin/channel-keys', undefined, admin);
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);
  });
});

describe('hardening', () => {
  it('sends security headers and allows only the console origin', async () => {
    const answer = await call('GET', '/api/departments', undefined, { ...(await as('operator')), headers: { origin: 'https://evil.example' } });
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${process.env.E2E_GATEWAY_URL}/api/auth/login`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:3000', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000');
  });

  it('writes no phone number into any service log', () => {
    const dir = process.env.E2E_LOG_DIR as string;
    const logs = readdirSync(dir).map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const phone of PHONES) expect(logs.includes(phone)).toBe(false);
  });
});
