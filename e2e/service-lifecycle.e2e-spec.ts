/**
 * Issue #9, start-up and shutdown: a service started while Kafka and Redis are unreachable waits
 * for them, alive but not ready, with a log line saying what it waits for; on SIGTERM a service
 * finishes the requests it is serving and its consumers commit what they have applied before it
 * exits; SIGUSR2 (a profiler's or debugger's signal) does not stop it. (PostgreSQL down at start:
 * libs/platform/test/wait-for-database.int-spec.ts.)
 *
 * The services run as real processes of their own here (own database, Kafka namespace and Redis
 * prefix), because this spec stops them.
 */
import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { signAccessToken } from '@hotline/auth';
import { createEvent, EventEnvelope, serializeEvent, Topics, uuidv7 } from '@hotline/contracts';
import { createTestDatabase, freePort, TcpRelay, waitFor } from '@hotline/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';

const root = path.resolve(__dirname, '..');
const SECRET = `shutdown-only-secret-${Date.now()}-0123456789abcdef`;

interface ServiceHandle {
  name: string;
  child: ChildProcess;
  log: string[];
}

/** A service from source, as `npm start` runs it (tools/scripts/lib/services.mjs), its output kept. */
function spawnService(name: string, env: Record<string, string>, args: string[] = []): ServiceHandle {
  const child = spawn(process.execPath, ['--enable-source-maps', '-r', '@swc-node/register', path.join(root, 'apps', name, 'src', 'main.ts'), ...args], {
    cwd: root,
    env: { ...process.env, SWC_NODE_PROJECT: path.join(root, 'tsconfig.json'), KAFKAJS_NO_PARTITIONER_WARNING: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => log.push(chunk.toString('utf8')));
  return { name, child, log };
}

function exitOf(handle: ServiceHandle, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const { child } = handle;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no exit within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

/**
 * Nest re-raises the signal once its shutdown hooks have run (the process then ends "by SIGTERM",
 * exit status 143, as an orchestrator expects); what was drained is checked by each test.
 */
function stoppedCleanly(exit: { code: number | null; signal: NodeJS.Signals | null }): boolean {
  return exit.code === 0 || (exit.code === null && exit.signal === 'SIGTERM');
}

describe('starting and stopping real service processes', () => {
  let databaseUrl: string;
  const namespace = `test.shutdown.${Date.now().toString(36)}.`;
  let shared: Record<string, string>;
  const running: ServiceHandle[] = [];
  const ports = new Map<string, number>();

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('hotline_test_shutdown');
    shared = {
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      KAFKA_NAMESPACE: namespace,
      REDIS_KEY_PREFIX: `${namespace}redis:`,
      NODE_ENV: 'test',
      JWT_SECRET: SECRET,
      LOG_LEVEL: 'log',
      LOG_FORMAT: 'json',
      DEMO_SEED: 'false',
    };
    for (const name of ['intake', 'metrics']) {
      const migration = spawnService(name, shared, ['migrate']);
      expect(await exitOf(migration, 120_000)).toEqual({ code: 0, signal: null });
      ports.set(name, await freePort());
    }
  }, 240_000);

  afterAll(() => {
    for (const handle of running) if (handle.child.exitCode === null) handle.child.kill('SIGKILL');
  });

  async function start(name: string, env: Record<string, string> = {}): Promise<ServiceHandle> {
    const port = ports.get(name) as number;
    const handle = spawnService(name, { ...shared, PORT: String(port), ...env });
    running.push(handle);
    await waitFor(
      `${name} to be ready`,
      async () => {
        if (handle.child.exitCode !== null) throw new Error(`${name} exited: ${handle.log.join('').slice(-2_000)}`);
        return (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null))?.status === 200;
      },
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    return handle;
  }

  it('waits for Kafka and Redis when they are down at start, alive but not ready, and serves once they come', async () => {
    const kafkaRelay = await TcpRelay.onFreePort(Number(shared.KAFKA_BROKERS.split(',')[0].split(':')[1]));
    const redisRelay = await TcpRelay.onFreePort(6379);
    const port = ports.get('intake') as number;
    const intake = spawnService('intake', {
      ...shared,
      PORT: String(port),
      // Nothing listens there yet: the relays to the real servers open later.
      KAFKA_BROKERS: `127.0.0.1:${kafkaRelay.port}`,
      REDIS_URL: `redis://127.0.0.1:${redisRelay.port}`,
    });
    running.push(intake);
    try {
      await waitFor('intake to answer', async () => (await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => null))?.status === 200, {
        timeoutMs: 120_000,
        intervalMs: 250,
      });
      // kafkajs first retries the connection itself (its own log lines), then the service says
      // what it waits for and tries again, for as long as it takes.
      await waitFor('the service to say it waits for Kafka', () => /waiting for Kafka at .* \(attempt 2\)/.test(intake.log.join('')), {
        timeoutMs: 120_000,
        intervalMs: 500,
      });
      expect(intake.child.exitCode).toBeNull();
      const notReady = await fetch(`http://127.0.0.1:${port}/health/ready`);
      expect(notReady.status).toBe(503);
      const body = (await notReady.json()) as { checks: Record<string, { ok: boolean }> };
      expect(body.checks.redis.ok).toBe(false);
      expect(Object.entries(body.checks).some(([name, check]) => /kafka/i.test(name) && !check.ok)).toBe(true);
      const log = intake.log.join('');
      expect(log).toMatch(new RegExp(`waiting for Kafka at 127\\.0\\.0\\.1:${kafkaRelay.port} \\(attempt \\d+\\)`));
      expect(log).toMatch(new RegExp(`waiting for Redis at 127\\.0\\.0\\.1:${redisRelay.port}`));

      await Promise.all([kafkaRelay.open(), redisRelay.open()]);
      await waitFor('intake to be ready', async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200, {
        timeoutMs: 90_000,
        intervalMs: 500,
      });
      expect(intake.log.join('')).toMatch(/Redis at .* is reachable again/);
    } finally {
      intake.child.kill('SIGKILL');
      await exitOf(intake, 10_000).catch(() => undefined);
      await Promise.all([kafkaRelay.cut(), redisRelay.cut()]);
    }
  }, 240_000);

  it('answers the request in flight when SIGTERM comes, keeps what it stored, then exits; SIGUSR2 leaves it running', async () => {
    const intake = await start('intake');
    const port = ports.get('intake') as number;

    // SIGUSR2 first: the service logs it and goes on serving.
    intake.child.kill('SIGUSR2');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(intake.child.exitCode).toBeNull();
    expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);

    // A request in flight: headers and half its body sent, the rest after the SIGTERM.
    const token = signAccessToken({ sub: 'operator-shutdown', username: 'operator.shutdown', role: 'operator' }, SECRET, 600);
    const body = Buffer.from(
      JSON.stringify({
        demandType: 'complaint',
        domain: 'wage-arrears',
        urgency: 'normal',
        regionCode: '500103',
        title: '停机时的来电',
        content: '服务停机时正在受理的工单不能丢。',
        caller: { name: '测试来电人', phone: `136${String(Date.now() % 100_000_000).padStart(8, '0')}` },
      }),
    );
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    const answered = new Promise<void>((resolve) => socket.once('end', resolve).once('close', () => resolve()));
    socket.write(
      `POST /api/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
    );
    socket.write(body.subarray(0, 40));
    await new Promise((r) => setTimeout(r, 300));

    intake.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1_000)); // the service is shutting down meanwhile
    expect(intake.child.exitCode).toBeNull(); // it waits for the request
    socket.write(body.subarray(40));
    await answered;

    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
    expect({ status, answer: status === 201 ? '' : answer }).toEqual({ status: 201, answer: '' });
    const ticket = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { id: string; number: string };
    expect(stoppedCleanly(await exitOf(intake, 30_000))).toBe(true);

    // What it answered is stored, with the event that announces it (in the outbox, for the relay).
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const stored = await db.query(`SELECT number FROM intake.ticket WHERE id = $1`, [ticket.id]);
      expect(stored.rows).toEqual([{ number: ticket.number }]);
      const announced = await db.query(`SELECT count(*)::int AS n FROM intake.outbox_message WHERE message_key = $1 AND event_type = 'ticket.received'`, [ticket.id]);
      expect(announced.rows[0].n).toBe(1);
    } finally {
      await db.end();
    }
    expect(intake.log.join('')).toMatch(/SIGUSR2 received: ignored/);
  }, 180_000);

  it('commits the consumer offsets of everything applied before it exits', async () => {
    const kafka = new Kafka({ clientId: 'shutdown-test', brokers: shared.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ idempotent: true });
    const admin = kafka.admin();
    await Promise.all([producer.connect(), admin.connect()]);
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const topic = namespace + Topics.intakeEvents;
      const metrics = await start('metrics');
      const events: EventEnvelope[] = Array.from({ length: 3_000 }, (_, i) =>
        createEvent(
          'ticket.received',
          {
            number: `12333-20261123-${String(i + 1).padStart(6, '0')}`,
            channel: 'phone',
            demandType: 'consultation',
            domain: 'social-insurance',
            urgency: 'normal',
            regionCode: '500103',
            title: '社保卡补办',
            content: '咨询社保卡补办需要的材料。',
            callerPhoneHash: 'c'.repeat(64),
            receivedAt: new Date().toISOString(),
          },
          { ticketId: uuidv7() },
        ),
      );
      for (let i = 0; i < events.length; i += 500) {
        await producer.send({
          topic,
          acks: -1,
          messages: events.slice(i, i + 500).map((e) => ({
            key: e.ticketId,
            value: serializeEvent(e),
            headers: { 'content-type': 'application/json', 'event-id': e.eventId, 'event-type': e.type, 'event-version': String(e.version) },
          })),
        });
      }
      const applied = async () =>
        (await db.query(`SELECT count(*)::int AS n FROM metrics.processed_event WHERE consumer = 'metrics'`)).rows[0].n as number;
      await waitFor('the projection to apply some of the events', async () => (await applied()) >= 200, { timeoutMs: 120_000, intervalMs: 50 });

      metrics.child.kill('SIGTERM');
      expect(stoppedCleanly(await exitOf(metrics, 60_000))).toBe(true);

      const processed = await applied();
      const [committed] = await admin.fetchOffsets({ groupId: `${namespace}metrics`, topics: [topic] });
      const offsets = committed.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
      console.log(`metrics applied ${processed} of ${events.length} events before SIGTERM ended it; committed offsets sum ${offsets}`);
      expect(offsets).toBe(processed);
    } finally {
      await db.end();
      await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
    }
  }, 240_000);
});
