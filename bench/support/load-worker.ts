/**
 * The load generator, run as a child process (bench/support/load.ts forks it) so that sending
 * thousands of requests a second never steals the event loop of the process that measures.
 *
 * Two shapes of load: `rate` (open loop: requests are due at fixed instants whatever the answers
 * do; latency counts from the instant a request was due, so a stalled server cannot hide its
 * queue — no coordinated omission) and `concurrency` (closed loop: N requests in flight, the next
 * one sent when one returns — saturation).
 */
import http from 'node:http';

export interface LoadRequest {
  method: string;
  path: string;
  /** A fixed body, or `ticket`: a new ticket from a caller no other request of the run uses. */
  body?: string | 'ticket';
}

export interface TicketMix {
  regions: string[];
  domains: string[];
  demandTypes: string[];
  contents: string[];
}

export interface LoadSpec {
  baseUrl: string;
  token?: string;
  requests: LoadRequest[];
  mode: 'rate' | 'concurrency';
  rate?: number;
  concurrency?: number;
  /** Answers in the first warmUpMs are not measured. */
  warmUpMs: number;
  durationMs: number;
  /** Sockets to the server (rate mode); requests due beyond that wait in the agent, and the wait counts. */
  sockets?: number;
  /** Bodies of `ticket` requests draw phones from here on, so every phase has callers of its own. */
  phoneBase?: number;
  mix?: TicketMix;
  /** Keep [id, receivedAt, sentAt] of every created ticket (the pipeline follows them). */
  collectTickets?: boolean;
}

export interface LoadResult {
  sent: number;
  ok: number;
  measuredOk: number;
  statuses: Record<string, number>;
  errors: Record<string, number>;
  /** Milliseconds from the instant each measured request was due (rate) or sent (concurrency). */
  latencies: number[];
  /** Milliseconds from the actual send (rate mode: excludes waiting for a socket). */
  serviceTimes: number[];
  /** Latency of every 2xx answer, warm-up included (when the server falls behind, the only ones sent). */
  allLatencies: number[];
  measuredMs: number;
  startedAt: number;
  endedAt: number;
  /** Requests still due but not sent when the time was up (the server fell behind). */
  behind: number;
  /** Answers (2xx) that arrived inside the measured window: the achieved rate's numerator. */
  completedInWindow: number;
  tickets: [string, string, number][];
  cpuSeconds: number;
}

const CALLER_NAMES = ['张先生', '李女士', '王师傅', '刘阿姨', '陈同学', '杨先生', '赵女士', '黄师傅'];

function ticketBody(mix: TicketMix, n: number, phone: number): string {
  const pick = <T>(list: T[], salt: number) => list[(n * 7919 + salt) % list.length];
  return JSON.stringify({
    demandType: pick(mix.demandTypes, 3),
    domain: pick(mix.domains, 5),
    urgency: n % 10 === 0 ? 'urgent' : 'normal',
    regionCode: mix.regions[n % mix.regions.length],
    content: pick(mix.contents, 11),
    caller: { name: pick(CALLER_NAMES, 13), phone: `13${String(phone).padStart(9, '0')}` },
  });
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const cpuStart = process.cpuUsage();
  const url = new URL(spec.baseUrl);
  const sockets = spec.mode === 'concurrency' ? (spec.concurrency ?? 1) : (spec.sockets ?? 64);
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  const result: LoadResult = {
    sent: 0,
    ok: 0,
    measuredOk: 0,
    statuses: {},
    errors: {},
    latencies: [],
    serviceTimes: [],
    allLatencies: [],
    measuredMs: spec.durationMs - spec.warmUpMs,
    startedAt: Date.now(),
    endedAt: 0,
    behind: 0,
    completedInWindow: 0,
    tickets: [],
    cpuSeconds: 0,
  };
  const t0 = performance.now();
  const measureFrom = t0 + spec.warmUpMs;
  const end = t0 + spec.durationMs;
  let phone = spec.phoneBase ?? 0;
  let n = 0;

  const send = (due: number): Promise<void> =>
    new Promise((resolve) => {
      const request = spec.requests[n % spec.requests.length];
      const body =
        request.body === 'ticket' ? ticketBody(spec.mix as TicketMix, n, phone++) : request.body === undefined ? undefined : request.body;
      n += 1;
      result.sent += 1;
      const headers: Record<string, string | number> = {};
      if (spec.token) headers.authorization = `Bearer ${spec.token}`;
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(body);
      }
      const sentAt = performance.now();
      const req = http.request(
        { host: url.hostname, port: url.port, method: request.method, path: request.path, headers, agent, timeout: 60_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const done = performance.now();
            const status = res.statusCode ?? 0;
            result.statuses[status] = (result.statuses[status] ?? 0) + 1;
            if (status >= 200 && status < 300) {
              result.ok += 1;
              if (done >= measureFrom && done <= end) result.completedInWindow += 1;
              result.allLatencies.push(done - due);
              if (due >= measureFrom) {
                result.measuredOk += 1;
                result.latencies.push(done - due);
                result.serviceTimes.push(done - sentAt);
              }
              if (spec.collectTickets) {
                try {
                  const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string; receivedAt: string };
                  result.tickets.push([answer.id, answer.receivedAt, Date.now() - (done - sentAt)]);
                } catch {
                  // not a ticket answer
                }
              }
            }
            resolve();
          });
          res.on('error', (err) => {
            result.errors[err.message] = (result.errors[err.message] ?? 0) + 1;
            resolve();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (err) => {
        const key = (err as NodeJS.ErrnoException).code ?? err.message;
        result.errors[key] = (result.errors[key] ?? 0) + 1;
        resolve();
      });
      req.end(body);
    });

  if (spec.mode === 'concurrency') {
    const loop = async () => {
      while (performance.now() < end) {
        const due = performance.now();
        await send(due);
      }
    };
    await Promise.all(Array.from({ length: spec.concurrency ?? 1 }, loop));
  } else {
    // Open loop, at most `sockets` requests in flight: a request due while all are busy waits
    // in a queue (and its wait counts in its latency); what is still queued at the end was
    // never sent and is reported as `behind`.
    const rate = spec.rate ?? 1;
    const total = Math.floor((spec.durationMs * rate) / 1000);
    const queue: number[] = [];
    let issued = 0;
    let inFlight = 0;
    let finished: () => void = () => undefined;
    const allDone = new Promise<void>((resolve) => (finished = resolve));
    let ended = false;
    const pump = () => {
      while (queue.length && inFlight < sockets) {
        const due = queue.shift() as number;
        inFlight += 1;
        void send(due).then(() => {
          inFlight -= 1;
          pump();
          if (ended && inFlight === 0) finished();
        });
      }
    };
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        const dueCount = Math.min(total, Math.floor(((Math.min(now, end) - t0) * rate) / 1000));
        while (issued < dueCount) {
          queue.push(t0 + (issued * 1000) / rate);
          issued += 1;
        }
        pump();
        if (now >= end) return resolve();
        setTimeout(tick, 1);
      };
      tick();
    });
    ended = true;
    result.behind = queue.length;
    queue.length = 0;
    if (inFlight > 0) await allDone;
  }
  agent.destroy();
  result.endedAt = Date.now();
  const cpu = process.cpuUsage(cpuStart);
  result.cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return result;
}

process.on('message', (message: { kind: 'run'; id: number; spec: LoadSpec }) => {
  if (message.kind !== 'run') return;
  run(message.spec).then(
    (result) => process.send?.({ kind: 'done', id: message.id, result }),
    (err: Error) => process.send?.({ kind: 'failed', id: message.id, error: err.stack ?? err.message }),
  );
});
process.on('disconnect', () => process.exit(0));
