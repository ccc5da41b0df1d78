import { Body, Controller, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { InjectRepository } from '@nestjs/typeorm';
import { AuthenticatedUser, CurrentUser, isInScope, Roles, TicketScope, ticketScopeOf } from '@hotline/auth';
import { toOffsetIso } from '@hotline/contracts';
import { Brackets, Repository } from 'typeorm';
import { CONTENT_TYPES, ExportFormat, exportTable } from '../export/tabular-export';
import { ticketTable } from '../export/ticket-table';
import { TicketExportByIdRequest, TicketExportQuery, TicketFilters, TicketListQuery } from './ticket-list.request.dto';

/** The most rows one export carries; narrower filters get the rest. */
const EXPORT_LIMIT = 50_000;
import { TicketView } from './ticket-view.entity';

export const TICKET_READERS = ['operator', 'dispatcher', 'handler', 'supervisor', 'leader', 'admin'] as const;

async function sendTickets(res: Response, rows: TicketView[], format: ExportFormat): Promise<void> {
  const file = await exportTable(ticketTable(rows.map(presentTicket)), format);
  res.setHeader('content-type', CONTENT_TYPES[format]);
  res.setHeader('content-disposition', `attachment; filename="tickets.${format}"`);
  res.send(file);
}

/** An id that is not a UUID cannot name a ticket: the same 404 as any unknown ticket. */
export const ticketIdParam = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException(['id: no such ticket']) });

/**
 * Loads a ticket the user may see, or answers 404 — the same answer whether the ticket does
 * not exist or lies outside the user's department or region, so existence is not leaked.
 */
export async function findTicketInScope(
  views: Repository<TicketView>,
  id: string,
  scope: TicketScope,
): Promise<TicketView> {
  const view = await views.findOneBy({ ticketId: id });
  if (!view || !isInScope(scope, view)) throw new NotFoundException(['id: no such ticket']);
  return view;
}

@Roles(...TICKET_READERS)
@Controller('api/tickets')
export class TicketsController {
  constructor(@InjectRepository(TicketView) private readonly views: Repository<TicketView>) {}

  /** GET /api/tickets — the tickets the user may see, newest first. */
  @Get()
  async list(@Query() query: TicketListQuery, @CurrentUser() user: AuthenticatedUser) {
    const qb = this.filtered(query, user);
    if (!qb) return { items: [], total: 0 };
    const [rows, total] = await qb
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize)
      .getManyAndCount();
    return { items: rows.map(presentTicket), total };
  }

  /** GET /api/tickets/export?format=csv|xlsx&… — the same filters, every matching ticket as a file. */
  @Get('export')
  async export(@Query() query: TicketExportQuery, @CurrentUser() user: AuthenticatedUser, @Res() res: Response) {
    const qb = this.filtered(query, user);
    const rows = qb ? await qb.take(EXPORT_LIMIT).getMany() : [];
    await sendTickets(res, rows, query.format);
  }

  /**
   * POST /api/tickets/export {ids, format} — the named tickets the user may see, newest first, as
   * a file (the same columns as the filtered export); ids outside the user's scope are left out.
   */
  @Post('export')
  @HttpCode(200)
  async exportById(@Body() body: TicketExportByIdRequest, @CurrentUser() user: AuthenticatedUser, @Res() res: Response) {
    const qb = this.filtered({}, user);
    const rows = qb ? await qb.andWhere('t.ticket_id IN (:...ids)', { ids: [...new Set(body.ids.map((id) => id.toLowerCase()))] }).getMany() : [];
    await sendTickets(res, rows, body.format);
  }

  /** The user's tickets under the query's filters, newest first; null when the user sees none. */
  private filtered(query: TicketFilters, user: AuthenticatedUser) {
    const scope = ticketScopeOf(user);
    if (scope.kind === 'none') return null;
    const qb = this.views.createQueryBuilder('t').where('t.received_at IS NOT NULL');
    if (scope.kind === 'department') qb.andWhere('t.department_id = :scopeDepartment', { scopeDepartment: scope.departmentId });
    if (scope.kind === 'region') qb.andWhere('t.region_code = :scopeRegion', { scopeRegion: scope.regionCode });
    if (query.status) qb.andWhere('t.status = :status', { status: query.status });
    // The same definitions as the overview's "now" counts.
    if (query.state) qb.andWhere(`t.status NOT IN ('closed', 'resolved-on-call')`);
    if (query.state === 'overdue') qb.andWhere('t.overdue');
    if (query.state === 'warning') qb.andWhere('t.warning AND NOT t.overdue');
    if (query.state === 'escalated') qb.andWhere('t.escalation_level > 0');
    if (query.departmentId) qb.andWhere('t.department_id = :departmentId', { departmentId: query.departmentId });
    if (query.regionCode) qb.andWhere('t.region_code = :regionCode', { regionCode: query.regionCode });
    if (query.domain) qb.andWhere('t.domain = :domain', { domain: query.domain });
    if (query.demandType) qb.andWhere('t.demand_type = :demandType', { demandType: query.demandType });
    if (query.from) qb.andWhere('t.received_at >= :from', { from: query.from });
    if (query.to) qb.andWhere('t.received_at < :to', { to: query.to });
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(new Brackets((w) => w.where('t.number = :number', { number: query.q }).orWhere('t.title ILIKE :like', { like })));
    }
    return qb.orderBy('t.received_at', 'DESC').addOrderBy('t.ticket_id', 'DESC');
  }

  /** GET /api/tickets/:id — the ticket's current state. */
  @Get(':id')
  async detail(@Param('id', ticketIdParam) id: string, @CurrentUser() user: AuthenticatedUser) {
    return presentTicket(await findTicketInScope(this.views, id, ticketScopeOf(user)));
  }
}

/** A ticket as the API shows it (list, detail, drill-down). */
export function presentTicket(v: TicketView) {
  const iso = (d: Date | null) => (d ? toOffsetIso(d) : null);
  return {
    id: v.ticketId,
    number: v.number,
    status: v.status,
    channel: v.channel,
    demandType: v.demandType,
    domain: v.domain,
    urgency: v.urgency,
    regionCode: v.regionCode,
    title: v.title,
    departmentId: v.departmentId,
    departmentName: v.departmentName,
    receivedAt: iso(v.receivedAt),
    assignedAt: iso(v.assignedAt),
    deadlines: { signFor: iso(v.signForDeadline), reply: iso(v.replyDeadline) },
    resolvedAt: iso(v.resolvedAt),
    flags: { warning: v.warning, overdue: v.overdue, escalationLevel: v.escalationLevel, repeatCount: v.repeatCount },
  };
}
