import type { EventEnvelope, KnownEvent } from '@hotline/contracts';
import { EntityManager } from 'typeorm';
import { CounterIncrements } from '../counters/counter-increments';
import { chargeDepartments, reattributeCharges } from '../counters/department-charges';
import { recountTickets } from '../department-measures/department-measures';
import type { HotspotDetector } from '../hotspots/hotspot-detector';
import { projectTicketViews } from '../tickets/ticket-view.projector';
import { appendToTimelines } from '../timeline/timeline-entries';
import { counterIncrements, DepartmentCharge, departmentCharge } from './counter-rules';

/**
 * 指标汇总 — a batch of events into every projection (timeline, ticket view, counters,
 * department charges, demand signals, department table), in the caller's transaction. The live
 * consumer and the replay both go through here.
 *
 * `project` collects the events; `complete` writes them set-based, a few statements for the
 * whole batch: the demand signals (each demand judged against those before it), the ticket views (read once, every event folded in order in memory, written once), the
 * timeline entries, the charges (their holders read from the completed timeline), the charges an
 * assignment moves, the counters summed, and the department table of the tickets concerned.
 * Nothing of it is visible before the transaction commits, so the order inside it is free.
 */
export class ProjectionBatch {
  private readonly events: KnownEvent[] = [];
  private completed = false;

  constructor(
    private readonly manager: EntityManager,
    private readonly hotspots: HotspotDetector,
    /** Appends events (hotspot alerts) to the outbox in the same transaction. */
    private readonly emit: (events: EventEnvelope[]) => Promise<void>,
  ) {}

  project(event: KnownEvent): void {
    if (this.completed) throw new Error('projection batch already completed');
    this.events.push(event);
  }

  /**
   * Writes what the batch collected. `recount: false` leaves the department table to the caller
   * (a replay counts every ticket once at its end).
   */
  async complete({ recount = true }: { recount?: boolean } = {}): Promise<void> {
    if (this.completed) return;
    this.completed = true;
    const counters = new CounterIncrements();
    const charges: (DepartmentCharge & { eventId: string; ticketId: string })[] = [];
    /** Tickets (re)assigned in this batch → the earliest such time: charges from then on may move. */
    const assignedSince = new Map<string, string>();
    await this.emit(await this.hotspots.recordAll(this.manager, this.events));
    const facts = await projectTicketViews(this.manager, this.events);
    this.events.forEach((event, i) => {
      counters.add(counterIncrements(event, facts[i]), event);
      const charge = departmentCharge(event);
      if (charge) charges.push({ ...charge, eventId: event.eventId, ticketId: event.ticketId });
      if (event.type === 'ticket.assigned' || event.type === 'ticket.reassigned') {
        const since = assignedSince.get(event.ticketId);
        if (since === undefined || Date.parse(event.occurredAt) < Date.parse(since)) assignedSince.set(event.ticketId, event.occurredAt);
      }
    });
    await appendToTimelines(this.manager, this.events);
    await chargeDepartments(this.manager, charges, counters);
    await reattributeCharges(this.manager, assignedSince, counters);
    await counters.write(this.manager);
    if (recount) await recountTickets(this.manager, this.events);
  }
}
