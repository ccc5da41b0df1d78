import { KnownEvent } from '@hotline/contracts';
import { CounterIncrement, shanghaiDate } from '../counters/counter-increments';

export interface ProjectionFacts {
  /** True when this assignment is the ticket's first: its receipt is then counted for the department. */
  firstAssignment: boolean;
}

/**
 * A step counted for the department that held the ticket at `at` (the latest assignment or
 * reassignment before it), whichever department holds it now; see department-charges.ts.
 */
export interface DepartmentCharge {
  /** The instant whose holder is charged: the event's time, as the department table reads it. */
  at: string;
  /** The counter's day (Asia/Shanghai). */
  day: string;
  measure: string;
}

/**
 * Which counters an event moves (DOMAIN.md "Measures"). Pure, so every rule is tested without
 * a database; the projection applies the result in the consumer's transaction.
 */
export function counterIncrements(event: KnownEvent, facts: ProjectionFacts): CounterIncrement[] {
  switch (event.type) {
    case 'ticket.received': {
      const p = event.payload;
      const day = shanghaiDate(p.receivedAt);
      return [
        { day, dimension: 'all', key: 'all', measure: 'received' },
        { day, dimension: 'region', key: p.regionCode, measure: 'received' },
        { day, dimension: 'domain', key: p.domain, measure: 'received' },
        { day, dimension: 'demand-type', key: p.demandType, measure: 'received' },
        { day, dimension: 'channel', key: p.channel, measure: 'received' },
      ];
    }
    case 'ticket.assigned': {
      const p = event.payload;
      const day = shanghaiDate(event.occurredAt);
      const increments: CounterIncrement[] = [
        { day, dimension: 'all', key: 'all', measure: 'assigned' },
        { day, dimension: 'department', key: p.departmentId, measure: 'assigned' },
        { day, dimension: 'region', key: p.regionCode, measure: 'assigned' },
      ];
      // A department's receipts are the tickets first given to it, on the day they came in.
      if (facts.firstAssignment) {
        increments.push({ day: shanghaiDate(p.receivedAt), dimension: 'department', key: p.departmentId, measure: 'received' });
      }
      return increments;
    }
    case 'ticket.resolved-on-call': {
      const day = shanghaiDate(event.payload.resolvedAt);
      return [{ day, dimension: 'all', key: 'all', measure: 'resolved-on-call' }];
    }
    case 'ticket.repeat-linked': {
      const p = event.payload;
      const day = shanghaiDate(p.receivedAt);
      // The department's share is a DepartmentCharge, like a closing's.
      return [
        { day, dimension: 'all', key: 'all', measure: 'repeats' },
        { day, dimension: 'region', key: p.regionCode, measure: 'repeats' },
        { day, dimension: 'domain', key: p.domain, measure: 'repeats' },
        { day, dimension: 'channel', key: p.channel, measure: 'repeats' },
      ];
    }
    case 'ticket.accepted':
      return forDepartment(event.payload.acceptedAt, event.payload.departmentId, 'accepted');
    case 'ticket.replied':
      return forDepartment(event.payload.repliedAt, event.payload.departmentId, 'replied');
    case 'ticket.returned':
      return forDepartment(event.payload.returnedAt, event.payload.departmentId, 'returned');
    case 'ticket.reassigned':
      // The new department got a ticket: it counts as assigned there (the denominator of its return rate).
      return [
        ...forDepartment(event.occurredAt, event.payload.departmentId, 'assigned'),
        { day: shanghaiDate(event.occurredAt), dimension: 'all', key: 'all', measure: 'reassigned' },
      ];
    case 'ticket.extension-requested':
      return forDepartment(event.occurredAt, event.payload.departmentId, 'extension-requested');
    case 'ticket.reopened':
      return forDepartment(event.occurredAt, event.payload.departmentId, 'reopened');
    case 'ticket.closed':
    case 'ticket.escalated':
    case 'ticket.callback-recorded': {
      // The department's share is a DepartmentCharge: its holder then may not be projected yet.
      const charge = departmentCharge(event) as DepartmentCharge;
      return [{ day: charge.day, dimension: 'all', key: 'all', measure: charge.measure }];
    }
    case 'ticket.overdue':
      // A late call-back is the hotline's (its call-back desk's), not the department's.
      if (event.payload.clock === 'callback') return [{ day: shanghaiDate(event.occurredAt), dimension: 'all', key: 'all', measure: 'overdue-callback' }];
      return forDepartment(event.occurredAt, event.payload.departmentId, `overdue-${event.payload.clock}`);
    case 'ticket.sla-warning':
    case 'ticket.sla-recomputed':
    case 'ticket.pause-decided':
    case 'ticket.urged':
    case 'ticket.routing-review-requested':
    case 'ticket.return-rejected':
    case 'ticket.pause-requested':
    case 'ticket.co-handling-noted':
    case 'ticket.extension-decided':
    case 'ticket.reply-reviewed':
    case 'ticket.supplemented':
    case 'ticket.sla-started':
    case 'metrics.hotspot-detected': // metrics' own alerts are not demands
      return [];
  }
}

/** The step of an event that is charged to the department holding the ticket then, if any. */
export function departmentCharge(event: KnownEvent): DepartmentCharge | null {
  switch (event.type) {
    case 'ticket.repeat-linked':
      return { at: event.occurredAt, day: shanghaiDate(event.payload.receivedAt), measure: 'repeats' };
    case 'ticket.closed':
      return { at: event.occurredAt, day: shanghaiDate(event.payload.closedAt), measure: 'closed' };
    case 'ticket.escalated':
      return { at: event.occurredAt, day: shanghaiDate(event.occurredAt), measure: `escalated-level-${event.payload.level}` };
    case 'ticket.callback-recorded':
      return { at: event.occurredAt, day: shanghaiDate(event.occurredAt), measure: `callback-${event.payload.satisfaction}` };
    default:
      return null;
  }
}

/** A measure counted for the whole hotline and for one department, on the Shanghai day of `at`. */
function forDepartment(at: string, departmentId: string, measure: string): CounterIncrement[] {
  const day = shanghaiDate(at);
  return [
    { day, dimension: 'all', key: 'all', measure },
    { day, dimension: 'department', key: departmentId, measure },
  ];
}
