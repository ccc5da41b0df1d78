import { Controller, Get, INestApplication, Logger, Module, Global } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Public as PlatformPublic, SERVICE_ENVIRONMENT } from '@hotline/platform';
import type { AddressInfo } from 'node:net';
import { signAccessToken } from '../token/access-token';
import { Public, Roles } from './access.decorators';
import { AuthModule } from './auth.module';
import { AuthenticatedUser } from './authenticated-user';
import { CurrentUser } from './current-user.decorator';

const SECRET = 'x'.repeat(40);
const PREVIOUS = 'p'.repeat(40);

@Controller('probe')
class ProbeController {
  @Public()
  @Get('public')
  open(@CurrentUser() user?: AuthenticatedUser) {
    return { ok: true, user: user?.username ?? null };
  }

  @Roles('supervisor', 'leader')
  @Get('board')
  board(@CurrentUser() user: AuthenticatedUser) {
    return user;
  }

  @Get('forgotten')
  forgotten() {
    return { leaked: true };
  }
}

@Roles('admin')
@Controller('admin')
class AdminController {
  @Get('users')
  users() {
    return [];
  }

  @Public()
  @Get('ping')
  ping() {
    return 'pong';
  }
}

/** Like the platform's HealthController: marked public where libs/auth cannot be imported. */
@PlatformPublic()
@Controller('live')
class LiveController {
  @Get()
  live() {
    return { status: 'ok' };
  }
}

/** Stands in for PlatformModule, which provides the environment globally. */
function environmentModule(env: object) {
  @Global()
  @Module({ providers: [{ provide: SERVICE_ENVIRONMENT, useValue: env }], exports: [SERVICE_ENVIRONMENT] })
  class FakeEnvironmentModule {}
  return FakeEnvironmentModule;
}

async function start(env: object): Promise<{ app: INestApplication; url: string }> {
  const moduleRef = await Test.createTestingModule({
    imports: [environmentModule(env), AuthModule],
    controllers: [ProbeController, AdminController, LiveController],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}` };
}

const token = (role: AuthenticatedUser['role'], extra: object = {}, secret = SECRET, now = Date.now()) =>
  signAccessToken({ sub: `u-${role}`, username: role, role, ...extra }, secret, 900, now);

async function get(url: string, bearer?: string, header?: string) {
  const authorization = header ?? (bearer ? `Bearer ${bearer}` : undefined);
  const res = await fetch(url, { headers: authorization ? { authorization } : {} });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text, res };
}

describe('AuthGuard through HTTP', () => {
  let app: INestApplication;
  let url: string;
  let warn: jest.SpyInstance;

  beforeAll(async () => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    ({ app, url } = await start({ JWT_SECRET: SECRET }));
  });

  afterAll(async () => {
    await app?.close();
    warn.mockRestore();
  });

  it('lets anyone call a @Public() route, and tells it who called when the token is valid', async () => {
    expect(await get(`${url}/probe/public`)).toMatchObject({ status: 200, body: { ok: true, user: null } });
    expect(await get(`${url}/probe/public`, token('operator'))).toMatchObject({ status: 200, body: { user: 'operator' } });
    expect(await get(`${url}/probe/public`, 'garbage')).toMatchObject({ status: 200, body: { user: null } });
  });

  it('honours the @Public() of libs/platform, which the health endpoints carry', async () => {
    expect(await get(`${url}/live`)).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('answers 200 with the user to an allowed role', async () => {
    const res = await get(`${url}/probe/board`, token('supervisor', { regionCode: '500103' }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: 'u-supervisor', username: 'supervisor', role: 'supervisor', regionCode: '500103' });
  });

  it('answers 401 without a token, naming the scheme', async () => {
    const res = await get(`${url}/probe/board`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: ['authorization: a bearer token is required'] });
    expect(res.res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it.each([
    ['another scheme', `Basic ${Buffer.from('admin:Demo@12333').toString('base64')}`, 'must be "Bearer <token>"'],
    ['a malformed token', 'Bearer not-a-jwt', 'the token is malformed'],
    ['an expired token', `Bearer ${token('leader', {}, SECRET, Date.now() - 3600_000)}`, 'the token has expired'],
    ['a token signed with another secret', `Bearer ${token('leader', {}, 'y'.repeat(40))}`, 'the token signature is not valid'],
    ['a tampered token', `Bearer ${tamper(token('operator'), { role: 'leader' })}`, 'the token signature is not valid'],
    ['alg none', `Bearer ${algNone(token('leader'))}`, 'the token is signed with an algorithm that is not accepted'],
  ])('answers 401 to %s', async (_name, header, words) => {
    const res = await get(`${url}/probe/board`, undefined, header);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: [`authorization: ${words}`] });
  });

  it('answers 403 to a role that is not allowed', async () => {
    const res = await get(`${url}/probe/board`, token('handler', { departmentId: 'dep-1' }));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ statusCode: 403, error: 'Forbidden', message: ['role: handler may not do this'] });
  });

  it('denies a route that declares nothing, even to an admin, and warns once naming it', async () => {
    for (const bearer of [undefined, token('admin'), token('admin')]) {
      const res = await get(`${url}/probe/forgotten`, bearer);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ statusCode: 403, error: 'Forbidden', message: ['route: no access is declared for this route'] });
    }
    const warnings = warn.mock.calls.map(([message]) => String(message)).filter((m) => m.includes('forgotten'));
    expect(warnings).toEqual([expect.stringContaining('ProbeController.forgotten (GET /probe/forgotten)')]);
  });

  it('applies a controller-level @Roles() to its methods, and a method-level @Public() over it', async () => {
    expect((await get(`${url}/admin/users`, token('admin'))).status).toBe(200);
    expect((await get(`${url}/admin/users`, token('leader'))).status).toBe(403);
    expect((await get(`${url}/admin/users`)).status).toBe(401);
    expect(await get(`${url}/admin/ping`)).toMatchObject({ status: 200, body: 'pong' });
  });
});

describe('AuthGuard during a secret rotation', () => {
  it('accepts tokens of the previous secret while JWT_PREVIOUS_SECRET is set', async () => {
    const rotated = await start({ JWT_SECRET: SECRET, JWT_PREVIOUS_SECRET: PREVIOUS });
    const unrotated = await start({ JWT_SECRET: SECRET });
    try {
      const old = token('leader', {}, PREVIOUS);
      expect((await get(`${rotated.url}/probe/board`, old)).status).toBe(200);
      expect((await get(`${rotated.url}/probe/board`, token('leader'))).status).toBe(200);
      expect((await get(`${unrotated.url}/probe/board`, old)).status).toBe(401);
    } finally {
      await rotated.app.close();
      await unrotated.app.close();
    }
  });
});

function tamper(jwt: string, changes: object): string {
  const [h, p, s] = jwt.split('.');
  const payload = { ...JSON.parse(Buffer.from(p, 'base64url').toString()), ...changes };
  return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
}

function algNone(jwt: string): string {
  const [, p] = jwt.split('.');
  return `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
}
