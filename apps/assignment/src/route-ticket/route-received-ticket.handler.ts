import { Injectable, OnModuleInit } from '@nestjs/common';
import { createEvent, KnownEvent, Topics } from '@hotline/contracts';
import { ConsumerTransaction, EventConsumers } from '@hotline/messaging';
import { EntityManager } from 'typeorm';
import { CoHandler } from '../assignments/co-handler.entity';
import { TicketAssignment } from '../assignments/ticket-assignment.entity';
import { RoutingEngine } from './routing-decision';

type TicketReceived = Extract<KnownEvent, { type: 'ticket.received' }>;

/** The rows a consumer batch's tickets make, written together before it commits. */
interface RoutedRows {
  assignments: Partial<TicketAssignment>[];
  coHandlers: Partial<CoHandler>[];
}

/**
 * 派单 — every received ticket is routed: to its department (`ticket.assigned`), or to the
 * dispatcher's queue when no rule decides it with confidence (`ticket.routing-review-requested`).
 */
@Injectable()
export class RouteReceivedTicketHandler implements OnModuleInit {
  private readonly pending = new WeakMap<EntityManager, RoutedRows>();

  constructor(
    private readonly consumers: EventConsumers,
    private readonly routing: RoutingEngine,
  ) {}

  onModuleInit(): void {
    this.consumers.register({
      name: 'assignment',
      topics: [Topics.intakeEvents],
      handlers: { 'ticket.received': (event, tx) => this.handle(event, tx) },
      beforeCommit: (_events, manager) => this.writeRouted(manager),
    });
  }

  private rowsOf(manager: EntityManager): RoutedRows {
    let rows = this.pending.get(manager);
    if (!rows) {
      rows = { assignments: [], coHandlers: [] };
      this.pending.set(manager, rows);
    }
    return rows;
  }

  /**
   * The batch's assignments in one statement (and its co-handlers in one more) instead of one or
   * two a ticket: each ticket of a batch is routed once (the inbox holds its event once), and
   * nothing in the batch reads these rows before they are written.
   */
  async writeRouted(manager: EntityManager): Promise<void> {
    const rows = this.pending.get(manager);
    this.pending.delete(manager);
    if (!rows) return;
    for (let i = 0; i < rows.assignments.length; i += 1_000) {
      await manager.insert(TicketAssignment, rows.assignments.slice(i, i + 1_000));
    }
    for (let i = 0; i < rows.coHandlers.length; i += 1_000) {
      await manager.insert(CoHandler, rows.coHandlers.slice(i, i + 1_000));
    }
  }

  async handle(event: TicketReceived, { manager, emit }: ConsumerTransaction): Promise<void> {
    const ticket = event.payload;
    // 即时办结: answered on the call, so there is nothing to dispatch.
    if (ticket.disposition === 'resolved-on-call') return;
    const decision = await this.routing.decide(manager, ticket);
    const now = new Date();
    const base = {
      ticketId: event.ticketId,
      number: ticket.number,
      title: ticket.title,
      regionCode: ticket.regionCode,
      domain: ticket.domain,
      demandType: ticket.demandType,
      urgency: ticket.urgency,
      receivedAt: new Date(ticket.receivedAt),
      correlationId: event.correlationId,
    };
    if (decision.kind === 'review') {
      const review = createEvent(
        'ticket.routing-review-requested',
        {
          number: ticket.number,
          regionCode: ticket.regionCode,
          demandType: ticket.demandType,
          domain: ticket.domain,
          urgency: ticket.urgency,
          suggested: decision.suggested
            ? { departmentId: decision.suggested.id, departmentCode: decision.suggested.code, departmentName: decision.suggested.name }
            : undefined,
          reason: decision.reason,
        },
        { ticketId: event.ticketId, cause: event, occurredAt: now },
      );
      this.rowsOf(manager).assignments.push({
        ...base,
        departmentId: null,
        status: 'awaiting-dispatch',
        assignedAt: null,
        suggestedDepartmentId: decision.suggested?.id ?? null,
        lastEventId: review.eventId,
      });
      await emit([review]);
      return;
    }
    const assigned = createEvent(
      'ticket.assigned',
      {
        number: ticket.number,
        departmentId: decision.main.id,
        departmentCode: decision.main.code,
        departmentName: decision.main.name,
        regionCode: ticket.regionCode,
        demandType: ticket.demandType,
        domain: ticket.domain,
        urgency: ticket.urgency,
        receivedAt: ticket.receivedAt,
        routing: { ruleId: `${decision.ruleId}@${decision.ruleVersion}`, reason: decision.reason },
        coHandlers: decision.coHandlers.map((d) => ({ departmentId: d.id, departmentCode: d.code, departmentName: d.name })),
        title: ticket.title,
      },
      { ticketId: event.ticketId, cause: event, occurredAt: now },
    );
    const rows = this.rowsOf(manager);
    rows.assignments.push({
      ...base,
      departmentId: decision.main.id,
      status: 'assigned',
      assignedAt: now,
      lastEventId: assigned.eventId,
    });
    rows.coHandlers.push(...decision.coHandlers.map((d) => ({ ticketId: event.ticketId, departmentId: d.id, note: null, notedAt: null })));
    await emit([assigned]);
  }
}
