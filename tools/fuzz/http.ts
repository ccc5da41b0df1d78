import { request as httpRequest } from 'node:http';

/** One request exactly as it goes on the wire: raw path, raw headers, raw body bytes. */
export interface WireRequest {
  port: number;
  method: string;
  /** Path and query, already encoded (sent as is). */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Sent with Transfer-Encoding: chunked instead of a Content-Length. */
  chunked?: boolean;
}

export interface WireAnswer {
  status?: number;
  headers?: Record<string, string | string[] | undefined>;
  body?: Buffer;
  /** The answer's size in bytes (its body is kept up to 16 MiB). */
  bytes?: number;
  /** The connection failed before an answer came: reset, refused, hung up, timed out. */
  error?: string;
  ms: number;
}

const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/** A refusal longer than this is no clear message (and hands a client a lever to make big answers). */
export const CLEAR_ANSWER_BYTES = 64 * 1024;
export const CLEAR_ANSWER_MESSAGES = 100;

/**
 * Sends one request on a connection of its own (so a server closing it cannot disturb the next
 * request) and reads the whole answer. An answer that arrived counts even if the server then
 * resets the connection while the rest of an oversized body is still being written.
 */
export function send(req: WireRequest, timeoutMs = 30_000): Promise<WireAnswer> {
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    let answered = false;
    const finish = (answer: Omit<WireAnswer, 'ms'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...answer, ms: Date.now() - started });
    };
    const headers: Record<string, string> = { connection: 'close', ...req.headers };
    if (req.body && !req.chunked) headers['content-length'] = String(req.body.length);
    let outgoing: ReturnType<typeof httpRequest>;
    try {
      outgoing = httpRequest({ host: '127.0.0.1', port: req.port, method: req.method, path: req.path, headers, agent: false });
    } catch (err) {
      finish({ error: `request could not be built: ${(err as Error).message}` });
      return;
    }
    const timer = setTimeout(() => {
      outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    outgoing.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
      });
      const done = () => finish({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), bytes: size });
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    });
    outgoing.on('error', (err: NodeJS.ErrnoException) => {
      // An early answer (413 before the body was read) followed by a reset is an answer.
      if (answered) return;
      finish({ error: `${err.code ?? 'ERROR'}: ${err.message}` });
    });
    if (req.body) {
      if (req.chunked) {
        const piece = 16 * 1024;
        for (let i = 0; i < req.body.length; i += piece) outgoing.write(req.body.subarray(i, i + piece));
      } else {
        outgoing.write(req.body);
      }
    }
    outgoing.end();
  });
}

/** Why an answer is not the clear refusal every fuzz request must get (undefined when it is). */
export function problemWith(answer: WireAnswer, { mayAnswer = false } = {}): string | undefined {
  if (answer.error) return `connection failed: ${answer.error}`;
  const status = answer.status ?? 0;
  if (status >= 500) return `server error ${status}`;
  if (status < 400) return mayAnswer && status >= 200 && status < 300 ? undefined : `accepted with ${status} (a refusal was due)`;
  const type = String(answer.headers?.['content-type'] ?? '');
  if (!type.includes('application/json')) return `${status} without a JSON body (content-type "${type || 'none'}")`;
  if ((answer.bytes ?? 0) > MAX_ANSWER_BYTES) return `${status} with an answer of ${answer.bytes} bytes`;
  let body: unknown;
  try {
    body = JSON.parse(answer.body?.toString('utf8') ?? '');
  } catch {
    return `${status} with a body that is not JSON`;
  }
  const b = body as { statusCode?: unknown; error?: unknown; message?: unknown; errors?: unknown };
  if (b.statusCode !== status) return `${status} whose body says statusCode ${JSON.stringify(b.statusCode)}`;
  if (typeof b.error !== 'string' || !b.error) return `${status} without an "error" name`;
  if (!Array.isArray(b.message) || !b.message.length) return `${status} without a "message" list`;
  if (!b.message.every((m) => typeof m === 'string' && m.trim().length > 0)) return `${status} with an empty or non-text message`;
  if (b.message.length > CLEAR_ANSWER_MESSAGES || (answer.bytes ?? 0) > CLEAR_ANSWER_BYTES) {
    return `${status} with ${b.message.length} messages in ${answer.bytes} bytes (no clear message; the answer is an amplifier)`;
  }
  const text = b.message.join('\n');
  if (/internal error/i.test(text)) return `${status} saying only "internal error"`;
  if (/\bat [\w.<>]+ \(|node_modules|\.ts:\d+/.test(text)) return `${status} whose message leaks a stack trace`;
  if (b.errors !== undefined) {
    if (!Array.isArray(b.errors)) return `${status} with an "errors" that is not a list`;
    const bad = b.errors.find(
      (e: { field?: unknown; message?: unknown; messageZh?: unknown }) =>
        typeof e?.field !== 'string' || typeof e?.message !== 'string' || typeof e?.messageZh !== 'string',
    );
    if (bad) return `${status} with a malformed field error ${JSON.stringify(bad).slice(0, 200)}`;
  }
  return undefined;
}

/** A short, printable view of bytes (for reports). */
export function preview(bytes: Buffer | undefined, max = 300): string {
  if (!bytes || !bytes.length) return '(empty)';
  const text = [...bytes.subarray(0, max).toString('utf8')]
    .map((c) => {
      const code = c.charCodeAt(0);
      return code < 0x20 && c !== '\n' && c !== '\r' && c !== '\t' ? `\\x${code.toString(16).padStart(2, '0')}` : c;
    })
    .join('');
  return bytes.length > max ? `${text}… (${bytes.length} bytes)` : text;
}
