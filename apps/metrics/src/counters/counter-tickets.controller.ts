import { Controller, Get, Query } from '@nestjs/common';
import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Roles } from '@hotline/auth';
import { IsCalendarDay, Paged, refusedField } from '@hotline/platform';
import { DataSource, In } from 'typeorm';
import { presentTicket } from '../tickets/tickets.controller';
import { TicketView } from '../tickets/ticket-view.entity';
import { COUNTER_DIMENSIONS, CounterDimension } from './daily-counter.entity';

/** One counter over days. */
class CounterSelection {
  @IsString()
  @IsNotEmpty()
  @MaxLength(60)
  measure: string;

  @IsIn(COUNTER_DIMENSIONS)
  dimension: CounterDimension = 'all';

  @IsString()
  @IsNotEmpty()
  @MaxLength(60)
  key = 'all';

  @IsCalendarDay()
  from: string;

  @IsCalendarDay()
  to: string;
}

export class CounterTicketsQuery extends Paged(CounterSelection, 50) {}

/** The tickets behind any counter of the dashboard (overview, trends, region or domain figures). */
@Roles('leader', 'supervisor')
@Controller('api/metrics/counters')
export class CounterTicketsController {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * GET /api/metrics/counters/tickets?measure=&dimension=&key=&from=&to= — `value` is the
   * counter over the days (what the dashboard shows), the items the tickets that made it.
   */
  @Get('tickets')
  async tickets(@Query() query: CounterTicketsQuery) {
    if (query.to < query.from) throw refusedField('to', 'must be on or after from', '结束日期不能早于开始日期');
    const where = `dimension = $1 AND dimension_key = $2 AND measure = $3 AND day BETWEEN $4::date AND $5::date`;
    const params = [query.dimension, query.key, query.measure, query.from, query.to];
    const [sum]: { value: string | null; tickets: string }[] = await this.dataSource.query(
      `SELECT sum(value) AS value, count(DISTINCT ticket_id) AS tickets FROM metrics.counter_contribution WHERE ${where}`,
      params,
    );
    // Newest first: latest day, then latest ticket (ticket ids are time-ordered UUIDv7).
    const rows: { ticket_id: string; contributed: string }[] = await this.dataSource.query(
      `SELECT ticket_id, sum(value) AS contributed, min(day) AS first_day FROM metrics.counter_contribution
        WHERE ${where} GROUP BY ticket_id ORDER BY first_day DESC, ticket_id DESC LIMIT $6 OFFSET $7`,
      [...params, query.pageSize, (query.page - 1) * query.pageSize],
    );
    const views = rows.length
      ? await this.dataSource.getRepository(TicketView).findBy({ ticketId: In(rows.map((r) => r.ticket_id)) })
      : [];
    const byId = new Map(views.map((v) => [v.ticketId, v]));
    return {
      measure: query.measure,
      dimension: query.dimension,
      key: query.key,
      from: query.from,
      to: query.to,
      value: Number(sum.value ?? 0),
      total: Number(sum.tickets),
      items: rows
        .filter((r) => byId.has(r.ticket_id))
        .map((r) => ({ ...presentTicket(byId.get(r.ticket_id) as TicketView), contributed: Number(r.contributed) })),
    };
  }
}
