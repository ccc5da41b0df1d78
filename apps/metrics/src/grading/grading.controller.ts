import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { departmentTable } from '../export/department-table';
import { CONTENT_TYPES, EXPORT_FORMATS, ExportFormat, exportTable } from '../export/tabular-export';
import { DataSource, In } from 'typeorm';
import { IsCalendarDay, refusedField, uuidParam } from '@hotline/platform';
import { readCounterSeries } from '../counters/counter-series';
import { COUNTER_DIMENSIONS, CounterDimension } from '../counters/daily-counter.entity';
import { Measure, MEASURES, ticketsBehind } from '../department-measures/department-measures';
import { presentTicket } from '../tickets/tickets.controller';
import { TicketView } from '../tickets/ticket-view.entity';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { AuthenticatedUser, CurrentUser, Roles } from '@hotline/auth';
import { DashboardCache, JsonAnswer } from '../live/dashboard-cache';
import { LiveUpdates } from '../live/live-updates';
import { GradingService } from './grading.service';
import { Colour, COLOURS } from './scoring';

/** A month YYYY-MM of the years a date can name (1900–9999). */
const MONTH = /^(19|[2-9]\d)\d{2}-(0[1-9]|1[0-2])$/;

export class MonthQuery {
  @Matches(MONTH, { message: 'month must be YYYY-MM' })
  month: string;
}

export class WeightsDto {
  @IsNumber()
  @Min(0)
  @Max(1)
  response: number;

  @IsNumber()
  @Min(0)
  @Max(1)
  resolution: number;

  @IsNumber()
  @Min(0)
  @Max(1)
  satisfaction: number;
}

export class BandDto {
  @IsIn(COLOURS.slice(0, -1))
  colour: Colour;

  @IsNumber()
  @Min(0)
  @Max(100)
  min: number;
}

export class ScoringFormulaRequest {
  @ValidateNested()
  @Type(() => WeightsDto)
  weights: WeightsDto;

  @IsNumber()
  @Min(0)
  @Max(100)
  reopenPenalty: number;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @ValidateNested({ each: true })
  @Type(() => BandDto)
  bands: BandDto[];

  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  note: string;
}

export class ExportQuery extends MonthQuery {
  @IsIn(EXPORT_FORMATS)
  format: ExportFormat;
}

export class ListsQuery extends MonthQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(20)
  size = 5;
}

export class TrendQuery {
  @IsCalendarDay()
  from: string;

  @IsCalendarDay()
  to: string;

  @IsString()
  @Matches(/^[a-z0-9-]{1,60}$/, { message: 'measure must be a measure name like received' })
  measure: string;

  @IsOptional()
  @IsIn(COUNTER_DIMENSIONS)
  dimension: CounterDimension = 'all';

  @IsOptional()
  @IsString()
  @MaxLength(60)
  key = 'all';
}

export class DrillDownQuery extends MonthQuery {
  @IsIn(MEASURES)
  measure: Measure;
}

@Controller('api')
export class GradingController {
  constructor(
    private readonly grading: GradingService,
    private readonly dataSource: DataSource,
    private readonly cache: DashboardCache,
    private readonly live: LiveUpdates,
  ) {}

  /** GET /api/metrics/lists?month=&size= — 好评榜 and 差评榜. */
  @Roles('leader', 'supervisor')
  @Get('metrics/lists')
  @JsonAnswer()
  lists(@Query() query: ListsQuery) {
    return this.cache.answer('lists', query, () => this.grading.lists(query.month, query.size));
  }

  /** GET /api/metrics/trends?from=&to=&measure=&dimension=&key= — one measure day by day, days without any as 0. */
  @Roles('leader', 'supervisor')
  @Get('metrics/trends')
  @JsonAnswer()
  trends(@Query() query: TrendQuery) {
    return this.cache.answer('trends', query, () => this.trendOf(query));
  }

  private async trendOf(query: TrendQuery) {
    const from = Date.parse(`${query.from}T00:00:00Z`);
    const to = Date.parse(`${query.to}T00:00:00Z`);
    if (Number.isNaN(from) || Number.isNaN(to) || to < from) throw refusedField('to', 'must be on or after from', '结束日期不能早于开始日期');
    if ((to - from) / 86_400_000 > 366) throw refusedField('to', 'a trend covers at most 366 days', '趋势最多覆盖366天');
    const values = await readCounterSeries(this.dataSource, query);
    const series: { day: string; value: number }[] = [];
    for (let t = from; t <= to; t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      series.push({ day, value: values.get(day) ?? 0 });
    }
    return { measure: query.measure, dimension: query.dimension, key: query.key, series };
  }

  /** GET /api/metrics/overview — today and this month for the whole hotline, and what is open and late now. */
  @Roles('leader', 'supervisor')
  @Get('metrics/overview')
  @JsonAnswer()
  overview() {
    return this.cache.answer('overview', null, () => this.overviewNow());
  }

  private async overviewNow() {
    const now = new Date(Date.now() + 8 * 3600_000).toISOString();
    const today = now.slice(0, 10);
    const month = now.slice(0, 7);
    const sums = async (from: string, to: string) => {
      const rows: { measure: string; n: string }[] = await this.dataSource.query(
        `SELECT measure, sum(value) AS n FROM metrics.daily_counter WHERE dimension = 'all' AND day >= $1 AND day <= $2 GROUP BY measure`,
        [from, to],
      );
      return Object.fromEntries(rows.map((r) => [r.measure, Number(r.n)]));
    };
    // Only the open tickets: their partial index (ticket_view_open_idx), not a year of closed ones.
    const [open] = await this.dataSource.query(
      `SELECT count(*)::int AS open,
              count(*) FILTER (WHERE overdue)::int AS overdue,
              count(*) FILTER (WHERE warning AND NOT overdue)::int AS warning,
              count(*) FILTER (WHERE escalation_level > 0)::int AS escalated
         FROM metrics.ticket_view WHERE received_at IS NOT NULL AND status NOT IN ('closed', 'resolved-on-call')`,
    );
    const live = await this.grading.live(month);
    return {
      today: { day: today, counts: await sums(today, today) },
      month: { month, counts: await sums(`${month}-01`, today), departments: live.departments.length },
      now: open,
    };
  }

  /** GET /api/metrics/departments/:id/tickets?month=&measure= — the tickets behind one number. */
  @Roles('leader', 'supervisor')
  @Get('metrics/departments/:id/tickets')
  async drillDown(@Param('id', uuidParam()) id: string, @Query() query: DrillDownQuery) {
    const ids = await ticketsBehind(this.dataSource.manager, query.month, id, query.measure);
    const views = ids.length ? await this.dataSource.getRepository(TicketView).findBy({ ticketId: In(ids) }) : [];
    return { month: query.month, departmentId: id, measure: query.measure, total: views.length, items: views.map(presentTicket) };
  }

  /** GET /api/metrics/departments?month= — every measure, rate and the composite score, per department. */
  @Roles('leader', 'supervisor')
  @Get('metrics/departments')
  @JsonAnswer()
  departments(@Query() query: MonthQuery) {
    return this.cache.answer('departments', query, async () => {
      const live = await this.grading.live(query.month);
      return { month: live.month, formulaVersion: live.formulaVersion, items: live.departments };
    });
  }

  /** GET /api/metrics/export?month=&format=csv|xlsx — the month's department table as a file. */
  @Roles('leader', 'supervisor')
  @Get('metrics/export')
  async export(@Query() query: ExportQuery, @Res() res: Response) {
    const live = await this.grading.live(query.month);
    const file = await exportTable(departmentTable(query.month, live.departments), query.format);
    res.setHeader('content-type', CONTENT_TYPES[query.format]);
    res.setHeader('content-disposition', `attachment; filename="departments-${query.month}.${query.format}"`);
    res.send(file);
  }

  /** GET /api/metrics/grading?month= — the 五色图: the published grading if any (with its formula), else live. */
  @Roles('leader', 'supervisor')
  @Get('metrics/grading')
  @JsonAnswer()
  gradingOf(@Query() query: MonthQuery) {
    return this.cache.answer('grading', query, () => this.grading.grading(query.month));
  }

  /** POST /api/metrics/grading/publish — fixes the month's ranking with the formula version in force. */
  @Roles('leader')
  @Post('metrics/grading/publish')
  @HttpCode(201)
  async publish(@Body() body: MonthQuery, @CurrentUser() user: AuthenticatedUser) {
    const published = await this.grading.publish(body.month, user.username);
    await this.live.announce();
    return published;
  }

  @Roles('admin', 'leader')
  @Get('admin/scoring-formula')
  formula() {
    return this.grading.currentFormula();
  }

  /** PUT /api/admin/scoring-formula — a new version; published months keep theirs. */
  @Roles('admin')
  @Put('admin/scoring-formula')
  async publishFormula(@Body() body: ScoringFormulaRequest, @CurrentUser() user: AuthenticatedUser) {
    const bands = [...body.bands].sort((a, b) => b.min - a.min);
    const formula = await this.grading.publishFormula({ weights: body.weights, reopenPenalty: body.reopenPenalty, bands }, user.username, body.note);
    await this.live.announce();
    return formula;
  }
}
