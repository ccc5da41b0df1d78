import { randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Admin, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { signAccessToken } from '@hotline/auth';
import { EVENT_CATALOG, EventEnvelope, EventType, Role, serializeEvent } from '@hotline/contracts';
import { KafkaMessageBus } from '@hotline/messaging';
import { createServiceApp, loadEnvironment, migrateServiceSchema, serviceDataSourceOptions } from '@hotline/platform';
import { createTestDatabase, readTopics, testBrokers, uniqueKafkaNamespace, waitFor } from '@hotline/testing';
import { METRICS_DATABASE } from '../../src/database/metrics.database';
import { MetricsEnvironment } from '../../src/metrics.environment';
import { MetricsModule } from '../../src/metrics.module';
import { PROJECTED_TOPICS, PROJECTION_CONSUMER } from '../../src/projection/ticket-projection.handler';
import { ReplayOptions, replayProjections, ReplaySummary } from '../../src/replay/replay-projections';

const SECRET = 'ground-truth-test-jwt-secret-0123456789abcdef';

export interface HttpAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked field by field
  body: any;
}

/**
 * The real metrics service in this process, on a fresh database and its own Kafka namespace,
 * fed by a plain kafkajs producer as the producing services would feed it.
 */
export class MetricsHarness {
  readonly namespace = uniqueKafkaNamespace('metrics-truth');
  private readonly savedEnv: Record<string, string | undefined> = {};
  env!: MetricsEnvironment;
  dataSource!: DataSource;
  app: INestApplication | null = null;
  base = '';
  private kafka!: Kafka;
  private producer!: Producer;
  private admin!: Admin;
  private bus!: KafkaMessageBus;

  async setUp(): Promise<void> {
    const url = await createTestDatabase('hotline_test_metrics_truth');
    const settings: Record<string, string> = {
      NODE_ENV: 'test',
      DATABASE_URL: url,
      KAFKA_BROKERS: testBrokers().join(','),
      KAFKA_NAMESPACE: this.namespace,
      REDIS_KEY_PREFIX: `test:metrics-truth:${randomBytes(4).toString('hex')}:`,
      JWT_SECRET: SECRET,
      LOG_LEVEL: 'warn',
      DEMO_SEED: 'false',
    };
    for (const [k, v] of Object.entries(settings)) {
      this.savedEnv[k] = process.env[k];
      process.env[k] = v;
    }
    this.env = loadEnvironment(MetricsEnvironment);
    const options = serviceDataSourceOptions('metrics', this.env, METRICS_DATABASE);
    await migrateServiceSchema(options);
    this.dataSource = new DataSource({ ...options, extra: { max: 4 } });
    await this.dataSource.initialize();
    this.kafka = new Kafka({ clientId: 'metrics-ground-truth', brokers: testBrokers(), logLevel: logLevel.NOTHING });
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await this.producer.connect();
    this.admin = this.kafka.admin();
    await this.admin.connect();
    this.bus = new KafkaMessageBus({ clientId: 'metrics-ground-truth-replay', brokers: testBrokers(), namespace: this.namespace });
    // The events topics as the producing services create them (3 partitions, kept for good).
    await this.bus.ensureTopics([...PROJECTED_TOPICS]);
  }

  /**
   * Stops everything and deletes this run's topics and groups (the events are kept for good, so
   * they would pile up run after run); WORKLOAD_KEEP=1 keeps them to look into a failure. The
   * database stays until the next run recreates it.
   */
  async tearDown(): Promise<void> {
    await this.stopService().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    if (this.admin && process.env.WORKLOAD_KEEP !== '1') {
      await this.deleteNamespace().catch((err) => console.warn(`could not delete the topics of ${this.namespace}: ${String(err)}`));
    }
    await this.admin?.disconnect().catch(() => undefined);
    await this.bus?.disconnect().catch(() => undefined);
    await this.dataSource?.destroy().catch(() => undefined);
    for (const [k, v] of Object.entries(this.savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }

  private async deleteNamespace(): Promise<void> {
    const { groups } = await this.admin.listGroups();
    const ours = groups.map((g) => g.groupId).filter((g) => g.startsWith(this.namespace));
    if (ours.length) await this.admin.deleteGroups(ours);
    const topics = (await this.admin.listTopics()).filter((t) => t.startsWith(this.namespace));
    if (topics.length) await this.admin.deleteTopics({ topics });
  }

  async startService(): Promise<void> {
    this.app = await createServiceApp({ service: 'metrics', module: MetricsModule }, this.env);
    await this.app.listen(0, '127.0.0.1');
    this.base = (await this.app.getUrl()).replace('[::1]', '127.0.0.1');
  }

  async stopService(): Promise<void> {
    const app = this.app;
    this.app = null;
    if (app) await app.close();
  }

  /** `main.ts replay` with the service stopped; Kafka may list the group's last member a moment longer. */
  async replay(options: ReplayOptions = {}): Promise<ReplaySummary> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= 15; attempt++) {
      try {
        return await replayProjections(this.dataSource, this.bus, undefined, options);
      } catch (err) {
        lastError = err;
        if (!String(err).includes('live member')) throw err;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
    throw lastError;
  }

  /** Publishes events on their topics, keyed by ticket, in the order given. */
  async publish(events: EventEnvelope[]): Promise<void> {
    for (let i = 0; i < events.length; i += 2_000) {
      const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
      for (const e of events.slice(i, i + 2_000)) {
        const topic = this.namespace + EVENT_CATALOG[e.type as EventType].topic;
        const list = byTopic.get(topic) ?? [];
        list.push({
          key: e.ticketId,
          value: serializeEvent(e),
          headers: { 'content-type': 'application/json', 'event-id': e.eventId, 'event-type': e.type, 'event-version': String(e.version) },
        });
        byTopic.set(topic, list);
      }
      await this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    }
  }

  async processedCount(): Promise<number> {
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM metrics.processed_event WHERE consumer = $1`, [PROJECTION_CONSUMER]);
    return n;
  }

  /** Waits until the projection has applied `distinct` events (the inbox holds one row per event). */
  async waitProjected(distinct: number, timeoutMs = 120_000): Promise<void> {
    let seen = -1;
    await waitFor(
      `the projection to apply ${distinct} events (applied ${seen})`,
      async () => {
        seen = await this.processedCount();
        if (seen > distinct) throw new Error(`applied ${seen} events, more than the ${distinct} published`);
        return seen === distinct;
      },
      { timeoutMs, intervalMs: 50 },
    );
  }

  /** Waits until the projection's group has committed every message on the topics (duplicates included). */
  async waitConsumedAll(timeoutMs = 60_000): Promise<void> {
    const topics = PROJECTED_TOPICS.map((t) => this.namespace + t);
    await waitFor(
      'the projection to commit every message of its topics',
      async () => {
        const committed = await this.admin.fetchOffsets({ groupId: this.namespace + PROJECTION_CONSUMER, topics });
        for (const topic of topics) {
          const ends = await this.admin.fetchTopicOffsets(topic);
          const group = committed.find((c) => c.topic === topic);
          for (const end of ends) {
            const at = group?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
            if (Number(end.high) > 0 && Number(at) < Number(end.high)) return false;
          }
        }
        return true;
      },
      { timeoutMs, intervalMs: 250 },
    );
  }

  token(role: Role): string {
    return signAccessToken({ sub: `${role}-truth`, username: `${role}.truth`, role }, SECRET, 3_600);
  }

  async call(method: string, path: string, role: Role, body?: unknown): Promise<HttpAnswer> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token(role)}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  // ---- what the projection holds ------------------------------------------------------

  async counters(): Promise<Map<string, number>> {
    const rows: { day: string; dimension: string; dimension_key: string; measure: string; value: string }[] = await this.dataSource.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, dimension, dimension_key, measure, value FROM metrics.daily_counter`,
    );
    return new Map(rows.map((r) => [`${r.day}|${r.dimension}|${r.dimension_key}|${r.measure}`, Number(r.value)]));
  }

  /** The department table as kept (metrics.department_month), as `month|department|departmentId|measure` → n, zeros left out. */
  async departmentMonths(): Promise<Map<string, number>> {
    const rows: { month: string; department_id: string; measure: string; n: string }[] = await this.dataSource.query(
      `SELECT month, department_id, measure, n FROM metrics.department_month WHERE n <> 0`,
    );
    return new Map(rows.map((r) => [`${r.month}|department|${r.department_id}|${r.measure}`, Number(r.n)]));
  }

  /** The breakdown tables as kept (metrics.breakdown_month), as `month|dimension|key|measure` → n, zeros left out. */
  async breakdownMonths(): Promise<Map<string, number>> {
    const rows: { month: string; dimension: string; key: string; measure: string; n: string }[] = await this.dataSource.query(
      `SELECT month, dimension, key, measure, n FROM metrics.breakdown_month WHERE n <> 0`,
    );
    return new Map(rows.map((r) => [`${r.month}|${r.dimension}|${r.key}|${r.measure}`, Number(r.n)]));
  }

  /** The tickets behind every counter (metrics.counter_contribution), as `counter|ticketId` → amount. */
  async contributions(): Promise<Map<string, number>> {
    const rows: { day: string; dimension: string; dimension_key: string; measure: string; ticket_id: string; value: string }[] =
      await this.dataSource.query(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, dimension, dimension_key, measure, ticket_id, sum(value) AS value
           FROM metrics.counter_contribution GROUP BY 1, 2, 3, 4, 5`,
      );
    return new Map(rows.map((r) => [`${r.day}|${r.dimension}|${r.dimension_key}|${r.measure}|${r.ticket_id}`, Number(r.value)]));
  }

  async views(): Promise<Map<string, ViewRow>> {
    const rows: ViewRow[] = await this.dataSource.query(
      `SELECT ticket_id, status, department_id, first_department_id, repeat_count, callback_count, escalation_level, warning, overdue,
              sign_for_deadline, reply_deadline, received_at, closed_at, resolved_at
         FROM metrics.ticket_view`,
    );
    return new Map(rows.map((r) => [r.ticket_id, r]));
  }

  async timelines(): Promise<Map<string, string[]>> {
    const rows: { ticket_id: string; event_id: string }[] = await this.dataSource.query(
      `SELECT ticket_id, event_id FROM metrics.timeline_entry ORDER BY ticket_id, occurred_at, event_id`,
    );
    const out = new Map<string, string[]>();
    for (const r of rows) {
      const list = out.get(r.ticket_id) ?? [];
      list.push(r.event_id);
      out.set(r.ticket_id, list);
    }
    return out;
  }

  async readAlerts(): Promise<EventEnvelope[]> {
    const records = await readTopics([`${this.namespace}hotline.metrics.alerts.v1`]);
    return records.map((r) => JSON.parse(r.value as string) as EventEnvelope);
  }
}

export interface ViewRow {
  ticket_id: string;
  status: string | null;
  department_id: string | null;
  first_department_id: string | null;
  repeat_count: number;
  callback_count: number;
  escalation_level: number;
  warning: boolean;
  overdue: boolean;
  sign_for_deadline: Date | null;
  reply_deadline: Date | null;
  received_at: Date | null;
  closed_at: Date | null;
  resolved_at: Date | null;
}
