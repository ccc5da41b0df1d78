/**
 * 故障注入 — what the suite does to the running system, and the record of it.
 *
 * - kill: SIGKILL one service (no shutdown hooks: consumers do not commit, relays stop between
 *   publishing and marking, HTTP requests die in flight), restart it after a moment, wait until
 *   it reports ready;
 * - kafka: stop the broker (controlled shutdown, or SIGKILL) and start it again on its data;
 * - postgres: stop the server (`fast`, or `immediate`, which is a crash) and start it again;
 * - poison: a message on an events topic that no consumer can apply — bytes that are not JSON,
 *   an envelope of an unknown type, a known type whose payload fails validation.
 */
import { createEvent, EventEnvelope, OWNED_TOPIC, ServiceName, Topics, uuidv7 } from '@hotline/contracts';
import { Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { ROOT, ServiceHandle, ServicesModule, Stack } from './esm';
import { Prng } from './prng';
import { Log, PrivateKafka, PrivatePostgres, sleep } from './servers';

export type FaultKind = 'kill' | 'kafka' | 'postgres' | 'poison';

export interface FaultRecord {
  kind: FaultKind;
  /** The service killed, or the topic poisoned. */
  target: string;
  how: string;
  /** When the fault was injected (ms since the epoch). */
  at: number;
  /** How long the target was left down before its restart began. */
  downMs: number;
  /** When the target was ready again (null while recovering, or if it never was). */
  recoveredAt: number | null;
  error?: string;
}

export type PoisonKind = 'malformed-json' | 'unknown-type' | 'invalid-payload';

export interface PoisonRecord {
  topic: string;
  kind: PoisonKind;
  /** The message key: unique, so its dead letters are found by it. */
  key: string;
  at: number;
}

/** The events topics the services consume (the alerts topic has no consumer, so no dead-letter queue). */
export const POISONED_TOPICS = [Topics.intakeEvents, Topics.assignmentEvents, Topics.supervisionEvents] as const;
export const POISON_KINDS: readonly PoisonKind[] = ['malformed-json', 'unknown-type', 'invalid-payload'];

/**
 * A type of each topic that every consumer of the topic acts on, for the payload that fails
 * validation: a consumer validates the payloads of the types it handles and passes over the rest.
 */
const KNOWN_TYPE: Record<string, string> = {
  [Topics.intakeEvents]: 'ticket.received',
  [Topics.assignmentEvents]: 'ticket.assigned',
  [Topics.supervisionEvents]: 'ticket.closed',
};

/** After a fault's recovery, time still counted as disturbed (group rebalances, backlogs). */
const RECOVERY_GRACE_MS = 30_000;
/** Least time between a target's recovery and the next fault on it. */
const SAME_TARGET_GAP_MS = 15_000;

export const SERVICE_NAMES_IN_START_ORDER = ['intake', 'assignment', 'supervision', 'metrics', 'gateway'] as const;

export interface FaultPlanOptions {
  loadMs: number;
  killsPerService: number;
  kafkaRestarts: number;
  postgresRestarts: number;
  /** The part of the load window faults fall in (fractions of it). */
  faultWindow: [number, number];
}

export interface PlannedFault {
  kind: FaultKind;
  target: string;
  /** Offset from the start of the load. */
  offsetMs: number;
  downMs: number;
  how: string;
  poison?: PoisonKind;
}

/** Every fault of the run, at seeded moments inside the load window. */
export function planFaults(rng: Prng, options: FaultPlanOptions): PlannedFault[] {
  const window = (): number => options.loadMs * rng.between(options.faultWindow[0], options.faultWindow[1]);
  const faults: PlannedFault[] = [];
  for (const service of SERVICE_NAMES_IN_START_ORDER) {
    for (let i = 0; i < options.killsPerService; i++) {
      faults.push({ kind: 'kill', target: service, offsetMs: window(), downMs: rng.between(0, 3_000), how: 'SIGKILL' });
    }
  }
  for (let i = 0; i < options.kafkaRestarts; i++) {
    const how = rng.chance(0.5) ? 'SIGTERM' : 'SIGKILL';
    faults.push({ kind: 'kafka', target: 'kafka', offsetMs: window(), downMs: rng.between(2_000, 6_000), how });
  }
  for (let i = 0; i < options.postgresRestarts; i++) {
    const how = rng.chance(0.5) ? 'fast' : 'immediate';
    faults.push({ kind: 'postgres', target: 'postgres', offsetMs: window(), downMs: rng.between(2_000, 5_000), how });
  }
  for (const topic of POISONED_TOPICS) {
    for (const poison of POISON_KINDS) {
      faults.push({ kind: 'poison', target: topic, offsetMs: window(), downMs: 0, how: poison, poison });
    }
  }
  return faults.sort((a, b) => a.offsetMs - b.offsetMs);
}

export interface FaultEnvironment {
  services: ServicesModule;
  stack: Stack;
  shared: Record<string, string>;
  kafka: PrivateKafka;
  postgres: PrivatePostgres;
  namespace: string;
  log: Log;
}

/**
 * Injects the planned faults at their moments. A target is never hit again while it is still
 * recovering from the last fault (the next one waits), but different targets overlap freely:
 * a service may be restarting while the broker is down.
 */
export class FaultInjector {
  readonly faults: FaultRecord[] = [];
  readonly poison: PoisonRecord[] = [];
  /** Services that died without being killed by the suite (each is restarted, and fails the run). */
  readonly crashes: string[] = [];
  private readonly recovering = new Map<string, Promise<void>>();
  private readonly killing = new Set<ServiceHandle>();
  private producer: Producer | null = null;
  private watching = true;
  /** Faults injected and not yet recovered from, and when the last recovery ended. */
  private active = 0;
  private lastRecovery = 0;

  constructor(private readonly env: FaultEnvironment) {
    for (const handle of env.stack.handles) this.watch(handle);
  }

  /**
   * True while a fault is in progress and for a while after the last recovery (consumer groups
   * rebalance, backlogs drain): the workload does not count such time against its patience.
   */
  disturbed(): boolean {
    return this.active > 0 || Date.now() < this.lastRecovery + RECOVERY_GRACE_MS;
  }

  /** Stop treating exits as crashes (the stack is being stopped). */
  stopWatching(): void {
    this.watching = false;
  }

  private watch(handle: ServiceHandle): void {
    handle.child.once('exit', (code, signal) => {
      if (!this.watching || this.killing.has(handle)) return;
      const what = `${handle.name} (pid ${handle.child.pid}) exited on its own (code ${code}, signal ${signal}) at ${new Date().toISOString()}`;
      this.crashes.push(what);
      this.env.log(`CRASH: ${what}; restarting it`);
      this.active += 1;
      const recovery = this.restart(handle)
        .then(
          () => this.env.log(`${handle.name} ready again after its crash`),
          (err) => this.env.log(`${handle.name} did not come back: ${(err as Error).message}`),
        )
        .finally(() => {
          this.active -= 1;
          this.lastRecovery = Date.now();
        });
      this.recovering.set(handle.name, recovery);
    });
  }

  private async restart(handle: ServiceHandle): Promise<ServiceHandle> {
    const { services, stack, shared } = this.env;
    const index = stack.handles.indexOf(handle);
    const restarted = services.startService(ROOT, handle.name, services.serviceEnv(handle.name, stack.ports, shared), { logFile: handle.logFile });
    stack.handles[index] = restarted; // the stack's stop() stops what runs now
    this.watch(restarted);
    await services.waitUntilReady(restarted, stack.ports[handle.name], 240_000);
    return restarted;
  }

  async run(plan: PlannedFault[], loadStart: number, shouldStop: () => boolean): Promise<void> {
    for (const fault of plan) {
      const at = loadStart + fault.offsetMs;
      while (Date.now() < at && !shouldStop()) await sleep(Math.min(250, at - Date.now()));
      if (shouldStop()) break;
      // Queued behind the target's previous fault (never the other targets'): a target still
      // recovering is not hit again, and one just back gets some time to work first.
      const previous = this.recovering.get(fault.target) ?? Promise.resolve();
      const next = previous.then(async () => {
        const last = this.faults.filter((f) => f.target === fault.target).at(-1);
        const calm = fault.kind === 'poison' || !last?.recoveredAt ? 0 : last.recoveredAt + SAME_TARGET_GAP_MS - Date.now();
        if (calm > 0) await sleep(calm);
        this.active += 1;
        try {
          await this.inject(fault);
        } catch (err) {
          this.env.log(`fault ${fault.kind} ${fault.target}: ${(err as Error).message}`);
        } finally {
          this.active -= 1;
          if (fault.kind !== 'poison') this.lastRecovery = Date.now();
        }
      });
      this.recovering.set(fault.target, next);
    }
    await this.settled();
  }

  /** Resolves when every target has recovered (or failed to). */
  async settled(): Promise<void> {
    await Promise.all(this.recovering.values());
  }

  async close(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
  }

  private async inject(fault: PlannedFault): Promise<void> {
    const record: FaultRecord = { kind: fault.kind, target: fault.target, how: fault.how, at: Date.now(), downMs: fault.downMs, recoveredAt: null };
    this.faults.push(record);
    try {
      if (fault.kind === 'kill') await this.kill(record);
      else if (fault.kind === 'kafka') await this.restartKafka(record);
      else if (fault.kind === 'postgres') await this.restartPostgres(record);
      else await this.injectPoison(record, fault.poison as PoisonKind);
    } catch (err) {
      record.error = (err as Error).message;
      throw err;
    }
  }

  private async kill(record: FaultRecord): Promise<void> {
    const handle = this.env.stack.handles.find((h) => h.name === record.target) as ServiceHandle;
    this.killing.add(handle);
    const exited = new Promise<void>((resolve) => {
      if (handle.child.exitCode !== null || handle.child.signalCode !== null) resolve();
      else handle.child.once('exit', () => resolve());
    });
    handle.child.kill('SIGKILL');
    await exited;
    this.env.log(`SIGKILL ${record.target} (pid ${handle.child.pid}); restart in ${(record.downMs / 1000).toFixed(1)} s`);
    await sleep(record.downMs);
    await this.restart(handle);
    record.recoveredAt = Date.now();
    this.env.log(`${record.target} ready again after ${((record.recoveredAt - record.at) / 1000).toFixed(1)} s`);
  }

  private async restartKafka(record: FaultRecord): Promise<void> {
    const kafka = this.env.kafka;
    this.env.log(`Kafka broker: ${record.how === 'SIGKILL' ? 'SIGKILL' : 'controlled shutdown'} (pid ${kafka.pid})`);
    await kafka.stop(record.how as 'SIGTERM' | 'SIGKILL');
    await sleep(record.downMs);
    await kafka.start();
    record.recoveredAt = Date.now();
    this.env.log(`Kafka broker up again after ${((record.recoveredAt - record.at) / 1000).toFixed(1)} s`);
  }

  private async restartPostgres(record: FaultRecord): Promise<void> {
    const postgres = this.env.postgres;
    this.env.log(`PostgreSQL: stop -m ${record.how}`);
    await postgres.stop(record.how as 'fast' | 'immediate');
    await sleep(record.downMs);
    await postgres.start();
    record.recoveredAt = Date.now();
    this.env.log(`PostgreSQL up again after ${((record.recoveredAt - record.at) / 1000).toFixed(1)} s`);
  }

  private async connectProducer(): Promise<Producer> {
    if (!this.producer) {
      const kafka = new Kafka({ clientId: 'faults-poison', brokers: this.env.kafka.brokers, logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 500 } });
      const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      this.producer = producer;
    }
    return this.producer;
  }

  private async injectPoison(record: FaultRecord, kind: PoisonKind): Promise<void> {
    const topic = record.target;
    const key = uuidv7();
    const { value, type } = poisonMessage(topic, kind, key);
    const deadline = Date.now() + 120_000;
    for (;;) {
      try {
        const producer = await this.connectProducer();
        await producer.send({
          topic: this.env.namespace + topic,
          acks: -1,
          messages: [{ key, value, headers: { 'event-type': type, 'content-type': 'application/json', 'fault-suite': kind } }],
        });
        break;
      } catch (err) {
        await this.producer?.disconnect().catch(() => undefined);
        this.producer = null;
        if (Date.now() > deadline) throw new Error(`could not produce the ${kind} poison message to ${topic}: ${(err as Error).message}`);
        await sleep(1_000);
      }
    }
    record.recoveredAt = Date.now();
    this.poison.push({ topic, kind, key, at: record.at });
    this.env.log(`poison ${kind} → ${topic} (key ${key})`);
  }
}

/** The bytes of one poison message; `type` is what its event-type header claims. */
export function poisonMessage(topic: string, kind: PoisonKind, ticketId: string): { value: Buffer; type: string } {
  const producer = (Object.entries(OWNED_TOPIC).find(([, t]) => t === topic)?.[0] ?? 'intake') as ServiceName;
  if (kind === 'malformed-json') {
    // Not JSON, and not even UTF-8: the dead letter must carry it byte for byte (base64).
    return { value: Buffer.concat([Buffer.from([0xff, 0xfe, 0x00]), Buffer.from('{"type":"ticket.received","payload":{', 'utf8')]), type: 'ticket.received' };
  }
  // A real, valid envelope of the topic's type, then spoiled in exactly one way.
  const valid = createEvent(
    'ticket.urged',
    { note: '故障演练' },
    { ticketId },
  ) as unknown as EventEnvelope<Record<string, unknown>>;
  const envelope: EventEnvelope<Record<string, unknown>> = { ...valid, producer };
  if (kind === 'unknown-type') {
    envelope.type = 'ticket.teleported';
    envelope.payload = { to: '火星' };
  } else {
    envelope.type = KNOWN_TYPE[topic];
    envelope.payload = { number: 42, note: 'a payload its type does not allow' };
  }
  return { value: Buffer.from(JSON.stringify(envelope), 'utf8'), type: envelope.type };
}
