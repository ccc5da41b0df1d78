import { ServiceName } from './enums/actor.enums';

/**
 * Kafka topics. Each service owns one events topic and is the only writer to it; messages
 * are keyed by ticket id. Never build these names anywhere else.
 */
export const Topics = {
  intakeEvents: 'hotline.intake.events.v1',
  assignmentEvents: 'hotline.assignment.events.v1',
  supervisionEvents: 'hotline.supervision.events.v1',
  metricsAlerts: 'hotline.metrics.alerts.v1',
} as const;
export type EventsTopic = (typeof Topics)[keyof typeof Topics];

/** The events topic each producing service owns. */
export const OWNED_TOPIC: Partial<Record<ServiceName, EventsTopic>> = {
  intake: Topics.intakeEvents,
  assignment: Topics.assignmentEvents,
  supervision: Topics.supervisionEvents,
  metrics: Topics.metricsAlerts,
};

/** Dead letters of one consuming service: `hotline.<consumer-service>.dlq.v1`. */
export function deadLetterTopic(consumer: ServiceName): string {
  return `hotline.${consumer}.dlq.v1`;
}

/**
 * What the dead-letter tool replayed from a service's dead-letter topic (compacted, keyed by the
 * dead letter's partition:offset), so a dead letter is re-published at most once.
 */
export function deadLetterReplaysTopic(consumer: ServiceName): string {
  return `hotline.${consumer}.dlq-replays.v1`;
}

/** Every topic the platform uses, for bring-up scripts and health checks. */
export const ALL_TOPICS: readonly string[] = [
  ...Object.values(Topics),
  deadLetterTopic('intake'),
  deadLetterTopic('assignment'),
  deadLetterTopic('supervision'),
  deadLetterTopic('metrics'),
];
