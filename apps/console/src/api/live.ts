import { useEffect, useRef, useState } from 'react';
import { authorizedFetch } from './client';

/**
 * 实时推送 — GET /api/metrics/stream (server-sent events). EventSource cannot send the bearer
 * token, so the stream is read with fetch: `event:`/`data:` blocks parsed by hand, a refresh on
 * 401 as the api client does, and a reconnect with growing pauses whenever it drops.
 */

export interface LiveChange {
  version: number | null;
  /** How many events of each type the projection applied. */
  types: Record<string, number>;
  at: string;
}

/** connecting: first attempt under way; live: the stream is open; down: polling instead. */
export type LiveStatus = 'connecting' | 'live' | 'down';

export interface StreamEvent {
  type: string;
  data: string;
}

const STREAM_PATH = '/api/metrics/stream';
/** The server sends a heartbeat every 15 s: this long without a byte means the stream is dead. */
const SILENCE_MS = 45_000;
const BACKOFF_MS = [1_000, 2_000, 5_000, 10_000, 20_000, 30_000];

/** Splits what has arrived into complete events and the unfinished rest (the SSE format). */
export function parseEvents(buffer: string): { events: StreamEvent[]; rest: string } {
  // A chunk may end between the \r and the \n of one line end: keep that \r for the next.
  const held = buffer.endsWith('\r') ? '\r' : '';
  const text = (held ? buffer.slice(0, -1) : buffer).replace(/\r\n?/g, '\n');
  const events: StreamEvent[] = [];
  let start = 0;
  let end: number;
  while ((end = text.indexOf('\n\n', start)) >= 0) {
    const block = text.slice(start, end);
    start = end + 2;
    let type = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) continue; // a comment keeps the line open
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length || type !== 'message') events.push({ type, data: data.join('\n') });
  }
  return { events, rest: text.slice(start) + held };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

interface Handlers {
  change: (change: LiveChange) => void;
  status: (status: LiveStatus) => void;
}

/** One connection at a time, until `signal` aborts: reads, and on any end waits and reconnects. */
async function follow(signal: AbortSignal, on: Handlers): Promise<void> {
  let failures = 0;
  while (!signal.aborted) {
    const attempt = new AbortController();
    const stop = () => attempt.abort();
    signal.addEventListener('abort', stop, { once: true });
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const watch = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(stop, SILENCE_MS);
    };
    let giveUp = false;
    try {
      watch();
      const response = await authorizedFetch(STREAM_PATH, { headers: { accept: 'text/event-stream' }, cache: 'no-store', signal: attempt.signal });
      if (!response.ok || !response.body) {
        await response.body?.cancel().catch(() => undefined);
        // Not signed in any more, or a role without the dashboard: polling is all there is.
        giveUp = response.status === 401 || response.status === 403;
        throw new Error(`stream answered ${response.status}`);
      }
      on.status('live');
      failures = 0;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        watch();
        const parsed = parseEvents(buffer + value);
        buffer = parsed.rest;
        for (const event of parsed.events) {
          if (event.type !== 'change') continue; // heartbeats only keep the watchdog quiet
          try {
            on.change(JSON.parse(event.data) as LiveChange);
          } catch {
            on.change({ version: null, types: {}, at: new Date().toISOString() });
          }
        }
      }
    } catch {
      // dropped, refused or timed out: below
    } finally {
      clearTimeout(watchdog);
      signal.removeEventListener('abort', stop);
    }
    if (signal.aborted) return;
    on.status('down');
    if (giveUp) return;
    const base = BACKOFF_MS[Math.min(failures, BACKOFF_MS.length - 1)];
    failures += 1;
    await pause(base + Math.random() * base * 0.3, signal);
  }
}

/** Follows the stream while mounted; calls `onChange` for each change notice. */
export function useLiveChanges(onChange: (change: LiveChange) => void, enabled = true): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const handler = useRef(onChange);
  useEffect(() => {
    handler.current = onChange;
  }, [onChange]);
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    setStatus('connecting');
    void follow(controller.signal, { change: (c) => handler.current(c), status: setStatus });
    return () => controller.abort();
  }, [enabled]);
  return enabled ? status : 'down';
}

/**
 * Keeps a view fresh: `refresh` shortly after a change notice (all the notices within
 * `debounceMs` of the first make one reload), once more when a dropped stream comes back (changes may have been missed),
 * and every `pollMs` only while the stream is down.
 */
export function useLiveRefresh(refresh: () => void, options: { debounceMs?: number; pollMs?: number; enabled?: boolean } = {}): LiveStatus {
  const { debounceMs = 500, pollMs = 30_000, enabled = true } = options;
  const latest = useRef(refresh);
  useEffect(() => {
    latest.current = refresh;
  }, [refresh]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const status = useLiveChanges(() => {
    // Gathered, not debounced: under a steady flow of notices a reload still comes every window.
    timer.current ??= setTimeout(() => {
      timer.current = undefined;
      latest.current();
    }, debounceMs);
  }, enabled);
  useEffect(() => () => clearTimeout(timer.current), []);

  const wasDown = useRef(false);
  useEffect(() => {
    if (status === 'down') wasDown.current = true;
    if (status === 'live' && wasDown.current) {
      wasDown.current = false;
      latest.current();
    }
    if (status === 'live') return;
    const poll = setInterval(() => latest.current(), pollMs);
    return () => clearInterval(poll);
  }, [status, pollMs]);
  return status;
}
