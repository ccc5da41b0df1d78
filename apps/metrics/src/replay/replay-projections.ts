import { Logger } from '@nestjs/common';
import { KafkaMessageBus } from '@hotline/messaging';
import { loadEnvironment, serviceDataSourceOptions } from '@hotline/platform';
import { DataSource } from 'typeorm';
import { METRICS_DATABASE } from '../database/metrics.database';
import { MetricsEnvironment } from '../metrics.environment';
import { PROJECTED_TOPICS, PROJECTION_CONSUMER } from '../projection/ticket-projection.handler';

/**
 * What a replay rebuilds: everything derived from the events. Not the hotspot alerts raised
 * (a record: a replay must not raise them again), the scoring formulas or published gradings.
 */
export const PROJECTION_TABLES = ['timeline_entry', 'ticket_view', 'daily_counter', 'counter_contribution', 'demand_signal'] as const;

export interface ReplaySummary {
  eventsToReplay: number;
  rewound: { topic: string; partitions: number }[];
}

/**
 * Drops the projections and rewinds the projection's consumer group to the start of the events
 * topics; the metrics service, started again, rebuilds them. The group is rewound first: if the
 * service is still running Kafka refuses and nothing is dropped.
 */
export async function replayProjections(dataSource: DataSource, bus: KafkaMessageBus): Promise<ReplaySummary> {
  const rewound = await bus.rewindConsumerGroup(PROJECTION_CONSUMER, PROJECTED_TOPICS);
  await dataSource.transaction(async (manager) => {
    await manager.query(`TRUNCATE ${PROJECTION_TABLES.map((t) => `metrics.${t}`).join(', ')}`);
    await manager.query(`DELETE FROM metrics.processed_event WHERE consumer = $1`, [PROJECTION_CONSUMER]);
  });
  return { eventsToReplay: await bus.countMessages(PROJECTED_TOPICS), rewound };
}

/** `main.ts replay`: the command an operator runs with the metrics service stopped. */
export async function replayCommand(): Promise<void> {
  const logger = new Logger('replay');
  const env = loadEnvironment(MetricsEnvironment);
  const dataSource = new DataSource(serviceDataSourceOptions('metrics', env, METRICS_DATABASE));
  const bus = new KafkaMessageBus({
    clientId: 'hotline-metrics-replay',
    brokers: env.KAFKA_BROKERS.split(','),
    namespace: env.KAFKA_NAMESPACE,
    partitions: env.KAFKA_PARTITIONS,
  });
  await dataSource.initialize();
  try {
    const summary = await replayProjections(dataSource, bus);
    logger.log(
      `projections dropped; ${summary.eventsToReplay} events on ${summary.rewound.map((r) => r.topic).join(', ')} ` +
        `will be projected again when the metrics service starts`,
    );
  } finally {
    await bus.disconnect();
    await dataSource.destroy();
  }
}
