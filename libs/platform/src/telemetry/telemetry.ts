import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface GaugeSample {
  labels?: Record<string, string | number>;
  value: number;
}

/**
 * The service's Prometheus metrics (served at /metrics). One registry per application, not
 * prom-client's global one, so several apps in one test process never collide.
 */
export class Telemetry {
  readonly registry = new Registry();

  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly eventsPublished: Counter<'type'>;
  readonly eventsConsumed: Counter<'consumer' | 'type' | 'outcome'>;
  readonly deadLetters: Counter<'consumer' | 'kind'>;

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.httpRequests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer an HTTP request',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.eventsPublished = new Counter({
      name: 'hotline_events_published_total',
      help: 'Events the outbox relay handed to Kafka, by type',
      labelNames: ['type'],
      registers,
    });
    this.eventsConsumed = new Counter({
      name: 'hotline_events_consumed_total',
      help: 'Events consumed, by consumer, type and outcome (applied, duplicate, dead-lettered)',
      labelNames: ['consumer', 'type', 'outcome'],
      registers,
    });
    this.deadLetters = new Counter({
      name: 'hotline_dlq_messages_total',
      help: 'Messages sent to the dead-letter topic, by consumer and error kind',
      labelNames: ['consumer', 'kind'],
      registers,
    });
  }

  /** A gauge read when Prometheus scrapes (database counts, Kafka lag…); a failing read reports nothing. */
  gauge(name: string, help: string, labelNames: string[], read: () => Promise<GaugeSample[]>): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        try {
          for (const sample of await read()) {
            if (sample.labels) this.set(sample.labels, sample.value);
            else this.set(sample.value);
          }
        } catch {
          // The scrape goes on; health endpoints report the broken dependency.
        }
      },
    });
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
