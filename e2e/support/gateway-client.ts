/** A small HTTP client for the e2e stack's gateway, with the demo users' sessions. */
export function gatewayUrl(path: string): string {
  const base = process.env.E2E_GATEWAY_URL;
  if (!base) throw new Error('E2E_GATEWAY_URL is not set: run through jest.e2e.config.js');
  return `${base}${path}`;
}

export const DEMO_PASSWORD = 'Demo@12333';

export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CallOptions {
  token?: string;
  headers?: Record<string, string>;
}

export async function call<T = unknown>(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json';
  }
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(gatewayUrl(path), {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

const sessions = new Map<string, Promise<string>>();

/** An access token of a demo user (logged in once per test file). */
export function tokenOf(username: string): Promise<string> {
  let session = sessions.get(username);
  if (!session) {
    session = call<{ accessToken: string }>('POST', '/api/auth/login', { username, password: DEMO_PASSWORD }).then((a) => {
      if (a.status !== 200) throw new Error(`login of ${username} failed: ${a.status} ${JSON.stringify(a.body)}`);
      return a.body.accessToken;
    });
    sessions.set(username, session);
    // A failed login is not remembered: the next call tries again.
    session.catch(() => sessions.delete(username));
  }
  return session;
}

let phoneSequence = 0;

/**
 * A mobile number no other test uses: a demand from a phone already on an open ticket is linked
 * to it (并单), so tests that want a ticket of their own need a fresh caller.
 */
export function uniquePhone(): string {
  phoneSequence += 1;
  const unique = (Date.now() % 1_000_000) * 100 + (phoneSequence % 100) + process.pid * 7;
  return `137${String(unique % 100_000_000).padStart(8, '0')}`;
}

/** A valid new-ticket body from a fresh caller; override what a test is about. */
export function newTicket(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    demandType: 'complaint',
    domain: 'wage-arrears',
    urgency: 'normal',
    regionCode: '500103',
    title: '餐馆拖欠工资',
    content: '渝中区解放碑某餐馆拖欠服务员两个月工资，老板失联。',
    caller: { name: '测试来电人', phone: uniquePhone() },
    ...overrides,
  };
}

/** Call options carrying a demo user's token: `call('GET', path, undefined, await as('operator'))`. */
export const as = async (username: string): Promise<CallOptions> => ({ token: await tokenOf(username) });

/** The demo handler of a department code (`handler.yz` for YZ). */
export const handler = (code: string): string => `handler.${code.toLowerCase()}`;

/** One event of a ticket's timeline as `GET /api/tickets/:id/timeline` answers it (工单轨迹). */
export interface TimelineItem {
  eventId: string;
  type: string;
  version: number;
  occurredAt: string;
  producer: string;
  actor: { id: string; role: string; departmentId?: string };
  correlationId: string;
  causationId: string | null;
  payload: Record<string, unknown>;
}
