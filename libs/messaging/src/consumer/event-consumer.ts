import { backoffDelay, LogFields, sleep, withConsumerSpan, withLogContext } from '@hotline/platform';
import {
  DeadLetter,
  DeadLetterErrorKind,
  deadLetterTopic,
  EventContractError,
  EventEnvelope,
  EventType,
  KnownEvent,
  parseEvent,
  ServiceName,
} from '@hotline/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { ProcessedEvent } from '../inbox/processed-event.entity';
import { appendToOutbox, deferOutboxWrites, discardDeferredOutbox, writeDeferredOutbox } from '../outbox/outbox';
import { BatchContext, IncomingMessage, MessageBus, Subscription } from '../port/message-bus.port';
import { quoteIdent } from '../schema/messaging-tables';
import { isTransientError } from './transient-error';

/** What a handler gets besides the event: the consumer's open transaction. */
export interface ConsumerTransaction {
  manager: EntityManager;
  /** Appends events to the outbox in this same transaction (they cause-chain from `event`). */
  emit(events: EventEnvelope[]): Promise<void>;
  message: IncomingMessage;
}

export type EventHandler<T extends EventType> = (
  event: Extract<KnownEvent, { type: T }>,
  tx: ConsumerTransaction,
) => Promise<void>;

export type EventHandlers = { [T in EventType]?: EventHandler<T> };

export interface RetryPolicy {
  /** Attempts of a failing handler before the message is dead-lettered. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface EventConsumerOptions {
  /** Consumer group id and inbox key, e.g. `assignment`. */
  name: string;
  /** The consuming service; its dead-letter topic receives what cannot be applied. */
  service: ServiceName;
  topics: string[];
  handlers: EventHandlers;
  retry?: Partial<RetryPolicy>;
  concurrency?: number;
  logger?: { log(m: string): void; warn(m: string): void; error(m: string): void };
  /**
   * Told, after the transaction has committed, which events were newly applied (never for a
   * redelivered duplicate). For signals that must not run before the data is visible: cache
   * invalidation, live pushes. Its failures are logged, never retried.
   */
  onCommitted?: (events: KnownEvent[]) => void | Promise<void>;
  /**
   * Called once per run of events, in its transaction after every handler, with the events newly
   * applied: for work that is cheaper done once for many events than once for each (a set-based
   * statement over what they touched). Its failure fails the run's last event, as a handler's would.
   */
  beforeCommit?: (events: KnownEvent[], manager: EntityManager) => Promise<void>;
  /** Counts outcomes for the service's metrics (after commit; dead letters when sent). */
  observe?: (outcome: ConsumeOutcome, eventType: string, errorKind?: string) => void;
}

export type ConsumeOutcome = 'applied' | 'duplicate' | 'dead-lettered';

type Decoded =
  | { message: IncomingMessage; event: KnownEvent; error?: undefined }
  | { message: IncomingMessage; event?: undefined; error: { kind: DeadLetterErrorKind; message: string; details?: string[] } };

interface RunOutcome {
  applied: number;
  failure?: unknown;
  /** The events whose handlers ran in the committed transaction. */
  newlyApplied: KnownEvent[];
  duplicates: KnownEvent[];
}

export interface ConsumerStats {
  applied: number;
  duplicates: number;
  deadLettered: number;
  retries: number;
}

/**
 * 幂等消费者 — applies events exactly once to this service's database.
 *
 * A batch from one partition is applied in one transaction: for each event an inbox row
 * (consumer, eventId) and the handler's effect; the events the handlers emit go to the outbox
 * together at the end. A handler that throws is retried alone with backoff, then dead-lettered
 * with its error; the partition moves on. A message that breaks the contract is dead-lettered
 * at once. Infrastructure failures (database
 * down) are waited out, never dead-lettered. Offsets are committed only after the transaction.
 */
export class EventConsumer {
  private subscription: Subscription | null = null;
  private readonly retry: RetryPolicy;
  private readonly inboxTable: string;
  readonly stats: ConsumerStats = { applied: 0, duplicates: 0, deadLettered: 0, retries: 0 };

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: MessageBus,
    private readonly options: EventConsumerOptions,
  ) {
    this.retry = { maxAttempts: 5, initialDelayMs: 200, maxDelayMs: 5_000, ...options.retry };
    const metadata = dataSource.getMetadata(ProcessedEvent);
    this.inboxTable = `${quoteIdent(metadata.schema ?? 'public')}.${quoteIdent(metadata.tableName)}`;
  }

  /** The types this consumer acts on: the only ones whose payloads it validates. */
  private readonly handles = (type: EventType): boolean => Boolean(this.options.handlers[type]);

  async start(): Promise<void> {
    await this.bus.ensureTopics([...this.options.topics, deadLetterTopic(this.options.service)]);
    this.subscription = await this.bus.subscribe({
      groupId: this.options.name,
      topics: this.options.topics,
      fromBeginning: true,
      concurrency: this.options.concurrency,
      handleBatch: (messages, context) => this.handleBatch(messages, context),
    });
  }

  isJoined(): boolean {
    return this.subscription?.isJoined() ?? false;
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = null;
  }

  /** Exposed for tests of the batch logic; production calls come from the subscription. */
  async handleBatch(messages: IncomingMessage[], context: BatchContext): Promise<void> {
    const items = messages.map((m) => this.decode(m));
    let i = 0;
    while (i < items.length && context.isActive()) {
      const item = items[i];
      if (item.error) {
        await this.deadLetter(item.message, item.error, 1);
        context.markProcessed(item.message);
        i += 1;
        continue;
      }
      let end = i;
      while (end < items.length && !items[end].error) end += 1;
      const run = items.slice(i, end) as Extract<Decoded, { event: KnownEvent }>[];
      const outcome = await this.untilInfrastructureAnswers(context, () => this.applyRun(run));
      if (!outcome) return; // stopping: unmarked offsets are redelivered to whoever takes over
      for (const done of run.slice(0, outcome.applied)) context.markProcessed(done.message);
      i += outcome.applied;
      if (outcome.failure !== undefined) {
        const settled = await this.retryOrDeadLetter(run[outcome.applied], outcome.failure, context);
        if (!settled) return;
        context.markProcessed(run[outcome.applied].message);
        i += 1;
      }
      await context.commit();
      await context.heartbeat();
    }
    await context.commit();
  }

  private decode(message: IncomingMessage): Decoded {
    try {
      return { message, event: parseEvent(message.value, { validatePayload: this.handles }) };
    } catch (err) {
      if (err instanceof EventContractError) {
        return { message, error: { kind: err.kind, message: err.message, details: err.details } };
      }
      return { message, error: { kind: 'malformed-json', message: (err as Error).message } };
    }
  }

  /**
   * Applies a run of valid events in one transaction, stopping at the first handler failure.
   *
   * The run is tried whole: one inbox statement for all its events, then their handlers, no
   * savepoints (three round trips an event fewer). When a handler fails, that transaction is
   * rolled back, the events before the failing one are applied again in a transaction of their
   * own, and the failure is reported for the one that failed.
   */
  private async applyRun(run: Extract<Decoded, { event: KnownEvent }>[]): Promise<RunOutcome> {
    let outcome: RunOutcome;
    try {
      outcome = await this.dataSource.transaction((manager) => this.applyAll(manager, run));
    } catch (err) {
      if (!(err instanceof HandlerFailure)) throw err;
      if (err.index === 0) return { applied: 0, failure: err.cause, newlyApplied: [], duplicates: [] };
      const before = await this.applyRun(run.slice(0, err.index));
      return before.failure !== undefined ? before : { ...before, failure: err.cause };
    }
    this.stats.applied += outcome.newlyApplied.length;
    this.stats.duplicates += outcome.duplicates.length;
    for (const e of outcome.newlyApplied) {
      this.options.observe?.('applied', e.type);
      withLogContext(this.logFields(e), () => this.options.logger?.log(`${this.options.name}: applied ${e.type}`));
    }
    for (const e of outcome.duplicates) this.options.observe?.('duplicate', e.type);
    if (outcome.newlyApplied.length && this.options.onCommitted) {
      try {
        await this.options.onCommitted(outcome.newlyApplied);
      } catch (err) {
        this.options.logger?.warn(`${this.options.name}: after-commit signal failed: ${errorText(err)}`);
      }
    }
    return outcome;
  }

  /** Every event of the run in `manager`'s transaction; a handler's failure as a HandlerFailure. */
  private async applyAll(manager: EntityManager, run: Extract<Decoded, { event: KnownEvent }>[]): Promise<RunOutcome> {
    // The events the handlers emit are written together at the end: one statement a run.
    deferOutboxWrites(manager);
    try {
      return await this.applyEach(manager, run);
    } catch (err) {
      discardDeferredOutbox(manager);
      throw err;
    }
  }

  private async applyEach(manager: EntityManager, run: Extract<Decoded, { event: KnownEvent }>[]): Promise<RunOutcome> {
    const newlyApplied: KnownEvent[] = [];
    const duplicates: KnownEvent[] = [];
    let lastApplied = -1;
    const ours = run.filter((item) => this.options.handlers[item.event.type]);
    // The inbox rows of the whole run at once: the ids it returns are the events not seen before.
    const fresh = new Set<string>();
    if (ours.length) {
      const inserted: { event_id: string }[] = await manager.query(
        `INSERT INTO ${this.inboxTable} (consumer, event_id) SELECT $1, unnest($2::uuid[])
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [this.options.name, ours.map((item) => item.event.eventId)],
      );
      for (const row of inserted) fresh.add(row.event_id);
    }
    for (let index = 0; index < run.length; index += 1) {
      const { event, message } = run[index];
      const handler = this.options.handlers[event.type] as EventHandler<EventType> | undefined;
      if (!handler) continue; // not ours to act on: nothing to record
      // Once per event, even if the run holds it twice (a redelivery within one batch).
      if (!fresh.delete(event.eventId.toLowerCase())) {
        duplicates.push(event);
        continue;
      }
      try {
        await withLogContext(this.logFields(event), () =>
          withConsumerSpan(
            `${this.options.name} ${event.type}`,
            message.headers,
            { 'messaging.consumer.group.name': this.options.name, 'hotline.event.type': event.type, 'hotline.ticket.id': event.ticketId },
            () => handler(event as never, { manager, message, emit: (events) => appendToOutbox(manager, events) }),
          ),
        );
      } catch (err) {
        if (isTransientError(err)) throw err;
        throw new HandlerFailure(index, err);
      }
      newlyApplied.push(event);
      lastApplied = index;
    }
    if (newlyApplied.length && this.options.beforeCommit) {
      try {
        await this.options.beforeCommit(newlyApplied, manager);
      } catch (err) {
        if (isTransientError(err)) throw err;
        throw new HandlerFailure(lastApplied, err);
      }
    }
    try {
      await writeDeferredOutbox(manager);
    } catch (err) {
      if (isTransientError(err) || lastApplied < 0) throw err;
      throw new HandlerFailure(lastApplied, err);
    }
    return { applied: run.length, newlyApplied, duplicates };
  }

  /** The fields of this event on every log line written while it is handled (never payload data). */
  private logFields(event: KnownEvent): LogFields {
    const number = (event.payload as { number?: unknown }).number;
    return {
      consumer: this.options.name,
      ticketId: event.ticketId,
      ticketNumber: typeof number === 'string' ? number : undefined,
      eventId: event.eventId,
      eventType: event.type,
      correlationId: event.correlationId,
    };
  }

  private async retryOrDeadLetter(
    item: Extract<Decoded, { event: KnownEvent }>,
    firstFailure: unknown,
    context: BatchContext,
  ): Promise<boolean> {
    let failure = firstFailure;
    let attempts = 1;
    while (attempts < this.retry.maxAttempts) {
      this.options.logger?.warn(
        `${this.options.name}: ${item.event.type} ${item.event.eventId} failed (attempt ${attempts}): ${errorText(failure)}`,
      );
      await sleep(backoffDelay(attempts, this.retry.initialDelayMs, this.retry.maxDelayMs));
      if (!context.isActive()) return false;
      await context.heartbeat();
      attempts += 1;
      this.stats.retries += 1;
      const outcome = await this.untilInfrastructureAnswers(context, () => this.applyRun([item]));
      if (!outcome) return false;
      if (outcome.failure === undefined) return true;
      failure = outcome.failure;
    }
    await this.deadLetter(item.message, { kind: 'handler-failed', message: errorText(failure) }, attempts);
    return true;
  }

  /** Runs `work` until it stops failing for infrastructure reasons; undefined if we are stopping. */
  private async untilInfrastructureAnswers<T>(context: BatchContext, work: () => Promise<T>): Promise<T | undefined> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await work();
      } catch (err) {
        if (!isTransientError(err)) throw err;
        this.options.logger?.warn(`${this.options.name}: waiting for the database (${errorText(err)})`);
        await sleep(backoffDelay(attempt, 250, 5_000));
        if (!context.isActive()) return undefined;
        await context.heartbeat().catch(() => undefined);
      }
    }
  }

  private async deadLetter(
    message: IncomingMessage,
    error: DeadLetter['error'],
    attempts: number,
  ): Promise<void> {
    const utf8 = message.value === null ? null : message.value.toString('utf8');
    const isUtf8 = message.value === null || Buffer.from(utf8 as string, 'utf8').equals(message.value);
    const letter: DeadLetter = {
      consumer: this.options.name,
      error,
      attempts,
      failedAt: new Date().toISOString(),
      origin: { topic: message.topic, partition: message.partition, offset: message.offset, timestamp: message.timestamp },
      key: message.key,
      value: message.value === null ? null : isUtf8 ? utf8 : message.value.toString('base64'),
      valueEncoding: isUtf8 ? 'utf8' : 'base64',
      headers: message.headers,
    };
    await this.bus.publish([
      {
        topic: deadLetterTopic(this.options.service),
        key: message.key,
        value: JSON.stringify(letter),
        headers: { 'content-type': 'application/json', 'dlq-error-kind': error.kind, 'dlq-consumer': this.options.name },
      },
    ]);
    this.stats.deadLettered += 1;
    this.options.observe?.('dead-lettered', message.headers['event-type'] ?? 'unknown', error.kind);
    this.options.logger?.error(
      `${this.options.name}: dead-lettered ${message.topic}/${message.partition}@${message.offset} (${error.kind}): ${error.message}`,
    );
  }
}

/** A handler threw: which event of the run, and what it threw. */
class HandlerFailure extends Error {
  constructor(
    readonly index: number,
    override readonly cause: unknown,
  ) {
    super(`handler of event ${index} of the run failed`);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
