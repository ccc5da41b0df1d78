import type { EventEnvelope, KnownEvent } from '@hotline/contracts';
import { EntityManager } from 'typeorm';
import { CounterIncrements } from '../counters/counter-increments';
import { chargeDepartments, reattributeCharges } from '../counters/department-charges';
import { MEASURED_EVENT_TYPES, recountTickets } from '../department-measures/department-measures';
import type { HotspotDetector } from '../hotspots/hotspot-detector';
import { projectTicketView } from '../tickets/ticket-view.projector';
import { appendToTimelines } from '../timeline/timeline-entries';
import { counterIncrements, DepartmentCharge, departmentCharge } from './counter-rules';

/**
 * 指标汇总 — a batch of events into every projection (timeline, ticket view, counters,
 * department charges, demand signals, department table), in the caller's transaction. The live
 * consumer and the replay both go through here.
 *
 * `project` applies what must follow the events one by one (the ticket view decides a ticket's
 * first assignment; a demand is judged against the signals before it) and collects the rest;
 * `complete` writes what was collected set-based, a few statements for the whole batch: the
 * timeline entries, the charges (their holders read from the completed timeline), the charges an
 * assignment moves, the counters summed, and the department table of the tickets concerned.
 * Nothing of it is visible before the transaction commits, so the order inside it is free.
 */
export class ProjectionBatch {
  private readonly events: KnownEvent[] = [];
  private readonly charges: (DepartmentCharge & { eventId: string; ticketId: string })[] = [];
  /** Tickets (re)assigned in this batch → the earliest such time: charges from then on may move. */
  private readonly assignedSince = new Map<string, string>();
  private readonly counters = new CounterIncrements();
  private completed = false;

  constructor(
    private readonly manager: EntityManager,
    private readonly hotspots: HotspotDetector,
  ) {}

  async project(event: KnownEvent, emit: (events: EventEnvelope[]) => Promise<void>): Promise<void> {
    if (this.completed) throw new Error('projection batch already completed');
    this.events.push(event);
    const facts = await projectTicketView(this.manager, event);
    this.counters.add(counterIncrements(event, facts), event);
    const charge = departmentCharge(event);
    if (charge) this.charges.push({ ...charge, eventId: event.eventId, ticketId: event.ticketId });
    if (event.type === 'ticket.assigned' || event.type === 'ticket.reassigned') {
      const since = this.assignedSince.get(event.ticketId);
      if (since === undefined || Date.parse(event.occurredAt) < Date.parse(since)) this.assignedSince.set(event.ticketId, event.occurredAt);
    }
    await emit(await this.hotspots.record(this.manager, event));
  }

  /**
   * Writes what the batch collected. `recount: false` leaves the department table to the caller
   * (a replay counts every ticket once at its end).
   */
  async complete({ recount = true }: { recount?: boolean } = {}): Promise<void> {
    if (this.completed) return;
    this.completed = true;
    await appendToTimelines(this.manager, this.events);
    await chargeDepartments(this.manager, this.charges, this.counters);
    await reattributeCharges(this.manager, this.assignedSince, this.counters);
    await this.counters.write(this.manager);
    if (recount) await recountTickets(this.manager, measuredTickets(this.events));
  }
}

/**
 * The tickets whose place in the department table the events may change; recounted once for the
 * whole batch (`recountTickets`), after every event has been projected.
 */
export function measuredTickets(events: readonly KnownEvent[]): string[] {
  return events.filter((e) => MEASURED_EVENT_TYPES.has(e.type)).map((e) => e.ticketId);
}
