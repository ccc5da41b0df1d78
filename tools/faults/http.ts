/**
 * The workload's HTTP client for the gateway, with the demo users' sessions. Every answer is
 * classified by what it tells the ground truth: applied (2xx), certainly not applied (a 4xx, or
 * a connection the OS refused before anything was sent), or in doubt (a 5xx, a reset or a
 * timeout: the request may have been committed by a service that then died, or by one that
 * lived while the gateway died).
 */
import { sleep } from './servers';

export const DEMO_PASSWORD = 'Demo@12333';

export type Answer =
  | { kind: 'ok'; status: number; body: unknown }
  | { kind: 'rejected'; status: number; body: unknown; messages: string[] }
  | { kind: 'refused'; detail: string }
  | { kind: 'doubt'; status?: number; detail: string };

export interface HttpStats {
  requests: number;
  ok: number;
  rejected: number;
  refused: number;
  doubt: number;
  logins: number;
  /**
   * 500 answers: an error nobody classified. A service that cannot reach its database or cache
   * answers 503, the gateway 502/503 for a service that is down; a 500 is a defect.
   */
  internalErrors: string[];
}

function causeCode(err: unknown): string | undefined {
  let e = err as { code?: unknown; cause?: unknown } | undefined;
  for (let i = 0; e && i < 4; i++) {
    if (typeof e.code === 'string') return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

function messagesOf(body: unknown): string[] {
  const message = (body as { message?: unknown } | undefined)?.message;
  if (Array.isArray(message)) return message.map(String);
  return typeof message === 'string' ? [message] : [];
}

export class GatewayClient {
  readonly stats: HttpStats = { requests: 0, ok: 0, rejected: 0, refused: 0, doubt: 0, logins: 0, internalErrors: [] };
  private readonly sessions = new Map<string, Promise<string>>();

  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 20_000,
  ) {}

  /** One request, classified; never throws. */
  async raw(method: string, path: string, body?: unknown, token?: string): Promise<Answer> {
    this.stats.requests += 1;
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const code = causeCode(err);
      if (code === 'ECONNREFUSED') {
        this.stats.refused += 1;
        return { kind: 'refused', detail: code };
      }
      this.stats.doubt += 1;
      return { kind: 'doubt', detail: code ?? (err as Error).name ?? String(err) };
    }
    let text = '';
    try {
      text = await response.text();
    } catch (err) {
      this.stats.doubt += 1;
      return { kind: 'doubt', status: response.status, detail: `body lost: ${causeCode(err) ?? (err as Error).message}` };
    }
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    if (response.status >= 200 && response.status < 300) {
      this.stats.ok += 1;
      return { kind: 'ok', status: response.status, body: parsed };
    }
    if (response.status >= 500) {
      this.stats.doubt += 1;
      if (response.status === 500) this.stats.internalErrors.push(`${method} ${path.split('?')[0]}: ${messagesOf(parsed).join('; ')}`);
      return { kind: 'doubt', status: response.status, detail: `${response.status} ${messagesOf(parsed).join('; ')}`.trim() };
    }
    this.stats.rejected += 1;
    return { kind: 'rejected', status: response.status, body: parsed, messages: messagesOf(parsed) };
  }

  /** A request as `username` (logged in on first use; logged in again when the token is refused). */
  async as(username: string, method: string, path: string, body?: unknown): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      let token: string;
      try {
        token = await this.token(username);
      } catch (err) {
        return { kind: 'refused', detail: `login of ${username}: ${(err as Error).message}` };
      }
      const answer = await this.raw(method, path, body, token);
      if (answer.kind === 'rejected' && answer.status === 401 && attempt === 0) {
        this.sessions.delete(username);
        continue;
      }
      return answer;
    }
  }

  /** The access token of a demo user; a login is retried while the gateway or its database is away. */
  token(username: string): Promise<string> {
    let session = this.sessions.get(username);
    if (!session) {
      session = this.login(username);
      this.sessions.set(username, session);
      session.catch(() => this.sessions.delete(username));
    }
    return session;
  }

  private async login(username: string): Promise<string> {
    const deadline = Date.now() + 120_000;
    let last = '';
    while (Date.now() < deadline) {
      this.stats.logins += 1;
      const answer = await this.raw('POST', '/api/auth/login', { username, password: DEMO_PASSWORD });
      if (answer.kind === 'ok') return (answer.body as { accessToken: string }).accessToken;
      if (answer.kind === 'rejected' && answer.status !== 429) throw new Error(`${answer.status} ${answer.messages.join('; ')}`);
      last = answer.kind === 'rejected' ? `${answer.status}` : answer.detail;
      await sleep(1_000);
    }
    throw new Error(`no login within 120 s (${last})`);
  }
}
