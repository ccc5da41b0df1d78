import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '@hotline/auth';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { DataSource, In } from 'typeorm';
import { Measure, MEASURES } from '../department-measures/department-measures';
import { breakdownTable } from '../export/breakdown-table';
import { CONTENT_TYPES, EXPORT_FORMATS, ExportFormat, exportTable } from '../export/tabular-export';
import { DashboardCache, JsonAnswer } from '../live/dashboard-cache';
import { MonthQuery } from '../grading/grading.controller';
import { TicketView } from '../tickets/ticket-view.entity';
import { presentTicket } from '../tickets/tickets.controller';
import { BREAKDOWN_DIMENSIONS, BreakdownDimension } from './breakdown-dimensions';
import { breakdownOf, ticketsBehindBreakdown } from './breakdown';

export class BreakdownQuery extends MonthQuery {
  @IsIn(BREAKDOWN_DIMENSIONS)
  dimension: BreakdownDimension;
}

export class BreakdownTicketsQuery extends BreakdownQuery {
  @IsString()
  @MaxLength(64)
  @Matches(/^[\w.-]+$/, { message: 'key must be a district code, domain, demand type or channel' })
  key: string;

  @IsIn(MEASURES)
  measure: Measure;
}

export class BreakdownExportQuery extends BreakdownQuery {
  @IsIn(EXPORT_FORMATS)
  format: ExportFormat;
}

/** 分类统计 — the department table's measures and rates by district, domain, demand type or channel. */
@Roles('leader', 'supervisor')
@Controller('api/metrics/breakdown')
export class BreakdownController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cache: DashboardCache,
  ) {}

  /** GET /api/metrics/breakdown?month=&dimension=region|domain|demand-type|channel */
  @Get()
  @JsonAnswer()
  breakdown(@Query() query: BreakdownQuery) {
    return this.cache.answer('breakdown', query, async () => ({
      month: query.month,
      dimension: query.dimension,
      items: await breakdownOf(this.dataSource.manager, query.month, query.dimension),
    }));
  }

  /** GET /api/metrics/breakdown/export?month=&dimension=&format=csv|xlsx — the table as a file. */
  @Get('export')
  async export(@Query() query: BreakdownExportQuery, @Res() res: Response) {
    const rows = await breakdownOf(this.dataSource.manager, query.month, query.dimension);
    const file = await exportTable(breakdownTable(query.month, query.dimension, rows), query.format);
    res.setHeader('content-type', CONTENT_TYPES[query.format]);
    res.setHeader('content-disposition', `attachment; filename="${query.dimension}-${query.month}.${query.format}"`);
    res.send(file);
  }

  /** GET /api/metrics/breakdown/tickets?month=&dimension=&key=&measure= — the tickets behind one figure. */
  @Get('tickets')
  async tickets(@Query() query: BreakdownTicketsQuery) {
    const ids = await ticketsBehindBreakdown(this.dataSource.manager, query.month, query.dimension, query.key, query.measure);
    const views = ids.length ? await this.dataSource.getRepository(TicketView).findBy({ ticketId: In(ids) }) : [];
    return { month: query.month, dimension: query.dimension, key: query.key, measure: query.measure, total: views.length, items: views.map(presentTicket) };
  }
}
