import {
  BeforeApplicationShutdown,
  DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { OWNED_TOPIC, ServiceName } from '@hotline/contracts';
import { backoffDelay, HealthRegistry, SERVICE_ENVIRONMENT, ServiceEnvironment, sleep, Telemetry } from '@hotline/platform';
import { DataSource } from 'typeorm';
import { EventConsumer, EventConsumerOptions } from '../consumer/event-consumer';
import { KafkaMessageBus } from '../kafka/kafka-message-bus';
import { OutboxRelay } from '../outbox/outbox-relay';
import { MessageBus } from '../port/message-bus.port';

export const MESSAGE_BUS = Symbol('MESSAGE_BUS');
const MESSAGING_SERVICE = Symbol('MESSAGING_SERVICE');

export type ConsumerRegistration = Omit<EventConsumerOptions, 'service' | 'logger'>;

/**
 * The service's consumers. Feature modules register theirs while the module initialises;
 * they start once the broker answers and stop (committing offsets) before shutdown.
 */
@Injectable()
export class EventConsumers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('messaging');
  private readonly registrations: ConsumerRegistration[] = [];
  private readonly consumers: EventConsumer[] = [];
  private relay: OutboxRelay | null = null;
  private connected = false;
  private stopping = false;
  private starting: Promise<void> = Promise.resolve();

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(MESSAGING_SERVICE) private readonly service: ServiceName,
    @Inject(SERVICE_ENVIRONMENT) private readonly env: ServiceEnvironment,
    private readonly dataSource: DataSource,
    health: HealthRegistry,
    private readonly telemetry: Telemetry,
  ) {
    health.register('kafka', async () => ({ ok: this.connected && (await this.bus.ping()) }));
    health.register('consumers', async () => {
      const joined = this.consumers.filter((c) => c.isJoined()).length;
      return { ok: joined === this.registrations.length, detail: { joined, expected: this.registrations.length } };
    });
    health.register('outbox', async () => {
      const backlog = this.relay ? await this.relay.backlog() : { pending: 0, oldestAgeSeconds: 0 };
      return { ok: true, detail: backlog };
    });
  }

  /** Gauges read at each scrape: the outbox's backlog and age, each consumer group's lag. */
  private registerGauges(): void {
    this.telemetry.gauge('hotline_outbox_backlog', 'Outbox rows not yet published', [], async () =>
      this.relay ? [{ value: (await this.relay.backlog()).pending }] : [],
    );
    this.telemetry.gauge('hotline_outbox_oldest_age_seconds', 'Age of the oldest unpublished outbox row', [], async () =>
      this.relay ? [{ value: (await this.relay.backlog()).oldestAgeSeconds }] : [],
    );
    this.telemetry.gauge('hotline_consumer_lag', 'Messages a consumer group has still to read', ['consumer', 'topic', 'partition'], async () => {
      const samples = [];
      for (const r of this.registrations) {
        for (const p of await this.bus.consumerLag(r.name, r.topics)) {
          samples.push({ labels: { consumer: r.name, topic: p.topic, partition: p.partition }, value: p.lag });
        }
      }
      return samples;
    });
  }

  register(registration: ConsumerRegistration): void {
    this.registrations.push(registration);
  }

  onApplicationBootstrap(): void {
    this.registerGauges();
    // Not awaited: the HTTP server comes up and reports "not ready" while the broker is away.
    this.starting = this.startWhenBrokerAnswers().catch((err) =>
      this.logger.error(`messaging did not start: ${(err as Error)?.stack ?? err}`),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.starting;
    await Promise.allSettled(this.consumers.map((c) => c.stop()));
    await this.relay?.stop();
    await this.bus.disconnect();
  }

  private async startWhenBrokerAnswers(): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt += 1) {
      try {
        await this.bus.connect();
        const owned = OWNED_TOPIC[this.service];
        if (owned) await this.bus.ensureTopics([owned]);
        this.connected = true;
        break;
      } catch (err) {
        this.logger.warn(`waiting for Kafka at ${this.env.KAFKA_BROKERS} (attempt ${attempt}): ${(err as Error).message}`);
        await sleep(backoffDelay(attempt, 500, 10_000));
      }
    }
    if (this.stopping) return;
    this.relay = new OutboxRelay(this.dataSource, this.bus, {
      logger: this.logger,
      onPublished: (types) => types.forEach((type) => this.telemetry.eventsPublished.inc({ type })),
    });
    this.relay.start();
    for (const registration of this.registrations) {
      const consumer = new EventConsumer(this.dataSource, this.bus, {
        concurrency: this.env.CONSUMER_CONCURRENCY,
        ...registration,
        service: this.service,
        logger: this.logger,
        observe: (outcome, type, kind) => {
          this.telemetry.eventsConsumed.inc({ consumer: registration.name, type, outcome });
          if (outcome === 'dead-lettered') this.telemetry.deadLetters.inc({ consumer: registration.name, kind: kind ?? 'unknown' });
        },
      });
      this.consumers.push(consumer);
      await this.startConsumer(consumer, registration);
    }
  }

  /**
   * A fresh broker may not yet have a coordinator for the group or leaders for a topic another
   * service has just created; such a start is retried (readiness says "not joined" meanwhile)
   * instead of taking the process down.
   */
  private async startConsumer(consumer: EventConsumer, registration: ConsumerRegistration): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt += 1) {
      try {
        await consumer.start();
        this.logger.log(`consumer ${registration.name} subscribed to ${registration.topics.join(', ')}`);
        return;
      } catch (err) {
        this.logger.warn(`consumer ${registration.name} could not start yet (attempt ${attempt}): ${(err as Error).message}`);
        await sleep(backoffDelay(attempt, 500, 10_000));
      }
    }
  }
}

/** Kafka, the outbox relay and the consumers of one service. */
@Module({})
export class MessagingModule {
  static forService(service: ServiceName): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_SERVICE, useValue: service },
        {
          provide: MESSAGE_BUS,
          inject: [SERVICE_ENVIRONMENT],
          useFactory: (env: ServiceEnvironment) => {
            const logger = new Logger('kafka');
            return new KafkaMessageBus({
              clientId: `hotline-${service}`,
              brokers: env.KAFKA_BROKERS.split(','),
              namespace: env.KAFKA_NAMESPACE,
              partitions: env.KAFKA_PARTITIONS,
              logger: { warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
            });
          },
        },
        EventConsumers,
      ],
      exports: [MESSAGE_BUS, EventConsumers],
    };
  }
}
