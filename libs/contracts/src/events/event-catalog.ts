import { ServiceName } from '../enums/actor.enums';
import { Topics } from '../topics';
import {
  TicketAcceptedV1,
  TicketCoHandlingNotedV1,
  TicketExtensionRequestedV1,
  TicketPauseRequestedV1,
  TicketReassignedV1,
  TicketRepliedV1,
  TicketReturnedV1,
  TicketReturnRejectedV1,
  TicketRoutingReviewRequestedV1,
} from './assignment/handling-events.v1';
import { TicketAssignedV1 } from './assignment/ticket-assigned.v1';
import { HotspotDetectedV1 } from './metrics/hotspot-detected.v1';
import { TicketReceivedV1 } from './intake/ticket-received.v1';
import { TicketRepeatLinkedV1 } from './intake/ticket-repeat-linked.v1';
import { TicketResolvedOnCallV1 } from './intake/ticket-resolved-on-call.v1';
import { TicketSupplementedV1 } from './intake/ticket-supplemented.v1';
import {
  TicketCallbackRecordedV1,
  TicketEscalatedV1,
  TicketOverdueV1,
  TicketSlaRecomputedV1,
  TicketSlaWarningV1,
  TicketUrgedV1,
} from './supervision/deadline-events.v1';
import {
  TicketClosedV1,
  TicketExtensionDecidedV1,
  TicketPauseDecidedV1,
  TicketReopenedV1,
  TicketReplyReviewedV1,
} from './supervision/review-events.v1';
import { SlaStartedV1 } from './supervision/sla-started.v1';

type PayloadClass = new () => object;

interface CatalogEntry {
  producer: ServiceName;
  topic: string;
  /** Every payload version consumers understand; the highest is what producers write. */
  versions: Record<number, PayloadClass>;
}

/**
 * The registry from wire type name to payload class, per version. Wire names are written
 * here, once; never derived from class names.
 */
export const EVENT_CATALOG = {
  'ticket.received': { producer: 'intake', topic: Topics.intakeEvents, versions: { 1: TicketReceivedV1 } },
  'ticket.resolved-on-call': { producer: 'intake', topic: Topics.intakeEvents, versions: { 1: TicketResolvedOnCallV1 } },
  'ticket.repeat-linked': { producer: 'intake', topic: Topics.intakeEvents, versions: { 1: TicketRepeatLinkedV1 } },
  'ticket.supplemented': { producer: 'intake', topic: Topics.intakeEvents, versions: { 1: TicketSupplementedV1 } },
  'ticket.assigned': { producer: 'assignment', topic: Topics.assignmentEvents, versions: { 1: TicketAssignedV1 } },
  'ticket.routing-review-requested': {
    producer: 'assignment',
    topic: Topics.assignmentEvents,
    versions: { 1: TicketRoutingReviewRequestedV1 },
  },
  'ticket.accepted': { producer: 'assignment', topic: Topics.assignmentEvents, versions: { 1: TicketAcceptedV1 } },
  'ticket.replied': { producer: 'assignment', topic: Topics.assignmentEvents, versions: { 1: TicketRepliedV1 } },
  'ticket.returned': { producer: 'assignment', topic: Topics.assignmentEvents, versions: { 1: TicketReturnedV1 } },
  'ticket.return-rejected': { producer: 'assignment', topic: Topics.assignmentEvents, versions: { 1: TicketReturnRejectedV1 } },
  'ticket.reassigned': { producer: 'assignment', topic: Topics.assignmentEvents, versions: { 1: TicketReassignedV1 } },
  'ticket.extension-requested': {
    producer: 'assignment',
    topic: Topics.assignmentEvents,
    versions: { 1: TicketExtensionRequestedV1 },
  },
  'ticket.pause-requested': { producer: 'assignment', topic: Topics.assignmentEvents, versions: { 1: TicketPauseRequestedV1 } },
  'ticket.co-handling-noted': {
    producer: 'assignment',
    topic: Topics.assignmentEvents,
    versions: { 1: TicketCoHandlingNotedV1 },
  },
  'ticket.sla-started': { producer: 'supervision', topic: Topics.supervisionEvents, versions: { 1: SlaStartedV1 } },
  'ticket.sla-warning': { producer: 'supervision', topic: Topics.supervisionEvents, versions: { 1: TicketSlaWarningV1 } },
  'ticket.overdue': { producer: 'supervision', topic: Topics.supervisionEvents, versions: { 1: TicketOverdueV1 } },
  'ticket.escalated': { producer: 'supervision', topic: Topics.supervisionEvents, versions: { 1: TicketEscalatedV1 } },
  'ticket.sla-recomputed': { producer: 'supervision', topic: Topics.supervisionEvents, versions: { 1: TicketSlaRecomputedV1 } },
  'ticket.urged': { producer: 'supervision', topic: Topics.supervisionEvents, versions: { 1: TicketUrgedV1 } },
  'ticket.callback-recorded': {
    producer: 'supervision',
    topic: Topics.supervisionEvents,
    versions: { 1: TicketCallbackRecordedV1 },
  },
  'ticket.extension-decided': {
    producer: 'supervision',
    topic: Topics.supervisionEvents,
    versions: { 1: TicketExtensionDecidedV1 },
  },
  'ticket.pause-decided': { producer: 'supervision', topic: Topics.supervisionEvents, versions: { 1: TicketPauseDecidedV1 } },
  'ticket.reply-reviewed': { producer: 'supervision', topic: Topics.supervisionEvents, versions: { 1: TicketReplyReviewedV1 } },
  'ticket.reopened': { producer: 'supervision', topic: Topics.supervisionEvents, versions: { 1: TicketReopenedV1 } },
  'ticket.closed': { producer: 'supervision', topic: Topics.supervisionEvents, versions: { 1: TicketClosedV1 } },
  'metrics.hotspot-detected': { producer: 'metrics', topic: Topics.metricsAlerts, versions: { 1: HotspotDetectedV1 } },
} as const satisfies Record<string, CatalogEntry>;

export type EventType = keyof typeof EVENT_CATALOG;

type LatestVersionClass<T extends EventType> = (typeof EVENT_CATALOG)[T]['versions'][1];

/** The payload shape producers write for an event type (its current version). */
export type EventPayload<T extends EventType> = InstanceType<LatestVersionClass<T>>;

export const EVENT_TYPES = Object.keys(EVENT_CATALOG) as EventType[];

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_CATALOG, type);
}

export function latestVersion(type: EventType): number {
  return Math.max(...Object.keys(EVENT_CATALOG[type].versions).map(Number));
}

export function payloadClass(type: EventType, version: number): PayloadClass | undefined {
  return (EVENT_CATALOG[type].versions as Record<number, PayloadClass>)[version];
}
