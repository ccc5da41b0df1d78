/**
 * The one way the console talks to the gateway: same origin, JSON, the user's bearer token,
 * a single refresh on 401, and every failure turned into an ApiError the UI can show.
 */

export interface FieldError {
  field: string;
  code?: string;
  message: string;
  messageZh?: string;
}

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: string;
  departmentId?: string;
  regionCode?: string;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: SessionUser;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly messages: string[],
    readonly fieldErrors: FieldError[],
  ) {
    super(messages.join('; ') || `HTTP ${status}`);
  }
}

const STORAGE_KEY = 'hotline.session';
type Listener = (session: Session | null) => void;
const listeners = new Set<Listener>();

/** Kept in sessionStorage: a tab's sign-in ends with the tab, and survives a reload. */
export function currentSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function storeSession(session: Session | null): void {
  if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(STORAGE_KEY);
  listeners.forEach((l) => l(session));
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

let refreshing: Promise<Session | null> | null = null;

/** One refresh at a time: parallel 401s wait for the same new token. */
export function refreshSession(): Promise<Session | null> {
  const session = currentSession();
  if (!session) return Promise.resolve(null);
  refreshing ??= fetch('/api/auth/refresh', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken: session.refreshToken }),
  })
    .then(async (r) => (r.ok ? ((await r.json()) as Session) : null))
    .catch(() => null)
    .then((next) => {
      storeSession(next);
      return next;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined | null>;
  /** Return the raw response (files). */
  raw?: boolean;
  signal?: AbortSignal;
}

function withQuery(path: string, query?: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function send(method: string, url: string, body: unknown, token: string | undefined, signal?: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
}

async function toError(response: Response): Promise<ApiError> {
  let parsed: { message?: unknown; errors?: FieldError[] } = {};
  try {
    parsed = await response.json();
  } catch {
    // not JSON (a proxy page): the status says enough
  }
  const messages = Array.isArray(parsed.message) ? parsed.message.map(String) : parsed.message ? [String(parsed.message)] : [];
  // Older answers list only "field: message" lines; read the field from them.
  const fields =
    parsed.errors ??
    (response.status === 400
      ? messages
          .map((m) => /^([\w.-]+): (.+)$/.exec(m))
          .filter((m): m is RegExpExecArray => !!m)
          .map((m) => ({ field: m[1], message: m[0] }))
      : []);
  return new ApiError(response.status, messages, fields);
}

export async function request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const url = withQuery(path, options.query);
  let response: Response;
  try {
    response = await send(method, url, body, currentSession()?.accessToken, options.signal);
    if (response.status === 401 && currentSession() && !path.startsWith('/api/auth/')) {
      const next = await refreshSession();
      if (next) response = await send(method, url, body, next.accessToken, options.signal);
    }
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, [], []);
  }
  if (!response.ok) throw await toError(response);
  if (options.raw) return response as unknown as T;
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, query?: RequestOptions['query'], signal?: AbortSignal) => request<T>('GET', path, undefined, { query, signal }),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
};

/**
 * A plain fetch with the user's token and, like `request`, one refresh on 401; for what is read
 * as a stream (server-sent events), where the answer must stay a Response.
 */
export async function authorizedFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const go = (token: string | undefined) =>
    fetch(path, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  let response = await go(currentSession()?.accessToken);
  if (response.status === 401 && currentSession()) {
    await response.body?.cancel().catch(() => undefined);
    const next = await refreshSession();
    if (next) response = await go(next.accessToken);
  }
  return response;
}

/** Offers text made in the page (a CSV of rows already loaded) as a download. */
export function saveText(text: string, name: string, type = 'text/csv;charset=utf-8'): void {
  saveBlob(new Blob([text], { type }), name);
}

function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Downloads a file the API answers with (exports need the bearer token, so no plain link); with
 * `body`, the file is asked for by POST (a list of ids too long for a query string).
 */
export async function download(path: string, query: RequestOptions['query'], fallbackName: string, body?: unknown): Promise<void> {
  const response = await request<Response>(body === undefined ? 'GET' : 'POST', path, body, { query, raw: true });
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  saveBlob(await response.blob(), name);
}

export async function login(username: string, password: string): Promise<Session> {
  const session = await request<Session>('POST', '/api/auth/login', { username, password });
  storeSession(session);
  return session;
}

export async function logout(): Promise<void> {
  const session = currentSession();
  if (session) {
    // Best effort: the refresh token dies on the server; the tab forgets it either way.
    await request('POST', '/api/auth/logout', { refreshToken: session.refreshToken }).catch(() => undefined);
  }
  storeSession(null);
}
