import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { IsIn, IsOptional } from 'class-validator';
import { findRegion, HOTSPOT_KINDS, HotspotKind, toOffsetIso } from '@hotline/contracts';
import { Roles } from '@hotline/auth';
import { IsCalendarDay, refusedField, uuidParam } from '@hotline/platform';
import { DataSource, In } from 'typeorm';
import { presentTicket } from '../tickets/tickets.controller';
import { TicketView } from '../tickets/ticket-view.entity';

export class HotspotsQuery {
  @IsOptional()
  @IsCalendarDay()
  from?: string;

  @IsOptional()
  @IsCalendarDay()
  to?: string;

  @IsOptional()
  @IsIn(HOTSPOT_KINDS)
  kind?: HotspotKind;
}

interface HotspotRow {
  id: string;
  kind: HotspotKind;
  day: string;
  region_code: string | null;
  category_code: string | null;
  employer_key: string | null;
  employer_name: string | null;
  count: number;
  live_count: string;
  baseline_daily_average: string;
  baseline_days: number;
  detected_at: Date;
}

/** 热点 — the alerts raised, newest first, each with the tickets behind it. */
@Controller('api/metrics/hotspots')
export class HotspotsController {
  constructor(private readonly dataSource: DataSource) {}

  /** GET /api/metrics/hotspots?from=&to=&kind= — default: the last 7 days. */
  @Roles('leader', 'supervisor')
  @Get()
  async list(@Query() query: HotspotsQuery) {
    const to = query.to ?? new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const from = query.from ?? new Date(Date.parse(to) - 6 * 86400_000).toISOString().slice(0, 10);
    if (from > to) throw refusedField('from', 'from must not be after to', '开始日期不能晚于结束日期');
    const rows: HotspotRow[] = await this.dataSource.query(
      `SELECT h.*, to_char(h.day, 'YYYY-MM-DD') AS day,
              (SELECT count(*) FROM metrics.demand_signal s
                WHERE s.day = h.day AND (
                  (h.kind = 'region-category' AND s.region_code = h.region_code AND s.category_code = h.category_code) OR
                  (h.kind = 'employer' AND s.employer_key = h.employer_key AND s.domain = 'wage-arrears'))) AS live_count
         FROM metrics.hotspot h
        WHERE h.day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR h.kind = $3)
        ORDER BY h.day DESC, h.detected_at DESC
        LIMIT 500`,
      [from, to, query.kind ?? null],
    );
    return { from, to, items: rows.map(present) };
  }

  /** GET /api/metrics/hotspots/:id/tickets — the demands behind one alert. */
  @Roles('leader', 'supervisor')
  @Get(':id/tickets')
  async tickets(@Param('id', uuidParam()) id: string) {
    const [hotspot]: HotspotRow[] = await this.dataSource.query(
      `SELECT *, to_char(day, 'YYYY-MM-DD') AS day, count AS live_count FROM metrics.hotspot WHERE id = $1`,
      [id],
    );
    if (!hotspot) throw new NotFoundException(['id: no such hotspot']);
    const behind: { ticket_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT ticket_id FROM metrics.demand_signal
        WHERE day = $1::date AND (
          ($2 = 'region-category' AND region_code = $3 AND category_code = $4) OR
          ($2 = 'employer' AND employer_key = $5 AND domain = 'wage-arrears'))`,
      [hotspot.day, hotspot.kind, hotspot.region_code, hotspot.category_code, hotspot.employer_key],
    );
    const views = behind.length
      ? await this.dataSource.getRepository(TicketView).find({ where: { ticketId: In(behind.map((b) => b.ticket_id)) } })
      : [];
    views.sort((a, b) => (a.receivedAt?.getTime() ?? 0) - (b.receivedAt?.getTime() ?? 0));
    return { hotspot: present(hotspot), total: views.length, items: views.map(presentTicket) };
  }
}

function present(row: HotspotRow) {
  return {
    id: row.id,
    kind: row.kind,
    day: row.day,
    regionCode: row.region_code,
    regionName: row.region_code ? (findRegion(row.region_code)?.name ?? null) : null,
    categoryCode: row.category_code,
    employerName: row.employer_name,
    /** Demands when the alert was raised, and now. */
    countAtDetection: row.count,
    count: Number(row.live_count),
    baselineDailyAverage: Number(row.baseline_daily_average),
    baselineDays: row.baseline_days,
    detectedAt: toOffsetIso(row.detected_at),
  };
}
