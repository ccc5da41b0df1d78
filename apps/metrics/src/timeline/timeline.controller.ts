import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AuthenticatedUser, CurrentUser, Roles, ticketScopeOf } from '@hotline/auth';
import { toOffsetIso } from '@hotline/contracts';
import { Repository } from 'typeorm';
import { findTicketInScope, TICKET_READERS, ticketIdParam } from '../tickets/tickets.controller';
import { TicketView } from '../tickets/ticket-view.entity';
import { TimelineEntry } from './timeline-entry.entity';

@Roles(...TICKET_READERS)
@Controller('api/tickets')
export class TimelineController {
  constructor(
    @InjectRepository(TimelineEntry) private readonly entries: Repository<TimelineEntry>,
    @InjectRepository(TicketView) private readonly views: Repository<TicketView>,
  ) {}

  /** GET /api/tickets/:id/timeline — every event of the ticket, in the order they happened. */
  @Get(':id/timeline')
  async timeline(@Param('id', ticketIdParam) id: string, @CurrentUser() user: AuthenticatedUser) {
    await findTicketInScope(this.views, id, ticketScopeOf(user));
    const rows = await this.entries.find({ where: { ticketId: id }, order: { occurredAt: 'ASC', eventId: 'ASC' } });
    if (!rows.length) throw new NotFoundException(['id: no such ticket']);
    return rows.map((r) => ({
      eventId: r.eventId,
      type: r.type,
      version: r.version,
      occurredAt: toOffsetIso(r.occurredAt),
      producer: r.producer,
      actor: r.actor,
      correlationId: r.correlationId,
      causationId: r.causationId,
      payload: r.payload,
    }));
  }
}
