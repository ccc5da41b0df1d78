import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { createEvent, employerKey, EventEnvelope, HotspotKind, KnownEvent, toOffsetIso } from '@hotline/contracts';
import { SERVICE_ENVIRONMENT } from '@hotline/platform';
import { EntityManager } from 'typeorm';
import { shanghaiDate } from '../counters/counter-increments';
import type { MetricsEnvironment } from '../metrics.environment';
import { HotspotRule, hotspotThreshold } from './hotspot-rule';

/** The tickets an alert names (the event's limit). */
const TICKETS_IN_ALERT = 100;

interface Signal {
  ticketId: string;
  day: string;
  regionCode: string;
  domain: string;
  categoryCode: string | null;
  employerKey: string | null;
  employerName: string | null;
}

interface Matter {
  kind: HotspotKind;
  key: string;
  /** The signals of this matter: column → value. */
  columns: Record<string, string>;
  regionCode?: string;
  categoryCode?: string;
  employerKey?: string;
  employerName?: string;
}

/**
 * 热点预警 — records every demand (a new ticket or a repeat linked to one) as a signal and, in
 * the same transaction, raises an alert the first time a matter's day crosses the hotspot rule:
 * one category in one region, or one employer in wage-arrears reports.
 */
@Injectable()
export class HotspotDetector {
  readonly rule: HotspotRule;

  constructor(@Inject(SERVICE_ENVIRONMENT) env: Pick<MetricsEnvironment, 'HOTSPOT_MIN_COUNT' | 'HOTSPOT_RATIO' | 'HOTSPOT_BASELINE_DAYS'>) {
    this.rule = { minCount: env.HOTSPOT_MIN_COUNT, ratio: env.HOTSPOT_RATIO, baselineDays: env.HOTSPOT_BASELINE_DAYS };
  }

  /**
   * Returns the alerts to emit (in the caller's transaction). The signal is recorded and every
   * matter it counts towards is counted in one statement (the statement's own insert is not
   * visible to its reads, so a signal it inserted is added to today's count).
   */
  async record(manager: EntityManager, event: KnownEvent): Promise<EventEnvelope[]> {
    const signal = await this.signalOf(manager, event);
    if (!signal) return [];
    const matters = mattersOf(signal);
    const params: unknown[] = [
      event.eventId,
      signal.ticketId,
      signal.day,
      signal.regionCode,
      signal.domain,
      signal.categoryCode,
      signal.employerKey,
      signal.employerName,
      event.type === 'ticket.received' ? event.payload.receivedAt : event.occurredAt,
      this.rule.baselineDays,
    ];
    const counts = matters.map(
      (matter, i) =>
        `(SELECT json_build_array(count(*) FILTER (WHERE day = $3::date), count(*) FILTER (WHERE day < $3::date))
            FROM metrics.demand_signal
           WHERE ${whereOf(matter, params)} AND day BETWEEN $3::date - $10::int AND $3::date) AS matter_${i}`,
    );
    const [row]: Record<string, unknown>[] = await manager.query(
      `WITH signal AS (
         INSERT INTO metrics.demand_signal
           (event_id, ticket_id, day, region_code, domain, category_code, employer_key, employer_name, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (event_id) DO NOTHING RETURNING 1
       )
       SELECT (SELECT count(*) FROM signal)::int AS inserted, $10::int AS baseline_days${counts.map((c) => `, ${c}`).join('')}`,
      params,
    );
    const alerts: EventEnvelope[] = [];
    for (const [i, matter] of matters.entries()) {
      const [today, baseline] = row[`matter_${i}`] as [number, number];
      const alert = await this.evaluate(manager, event, signal.day, matter, { today: today + Number(row.inserted), baseline });
      if (alert) alerts.push(alert);
    }
    return alerts;
  }

  private async signalOf(manager: EntityManager, event: KnownEvent): Promise<Signal | null> {
    if (event.type === 'ticket.received') {
      const p = event.payload;
      return {
        ticketId: event.ticketId,
        day: shanghaiDate(p.receivedAt),
        regionCode: p.regionCode,
        domain: p.domain,
        categoryCode: p.categoryCode ?? null,
        employerKey: employerKey(p.employerName),
        employerName: p.employerName ?? null,
      };
    }
    if (event.type === 'ticket.repeat-linked') {
      // A repeat is about its original's matter: same partition, so the original's signal is here.
      const [original]: { category_code: string | null; employer_key: string | null; employer_name: string | null }[] =
        await manager.query(
          `SELECT category_code, employer_key, employer_name FROM metrics.demand_signal
            WHERE ticket_id = $1 ORDER BY received_at LIMIT 1`,
          [event.ticketId],
        );
      return {
        ticketId: event.ticketId,
        day: shanghaiDate(event.payload.receivedAt),
        regionCode: event.payload.regionCode,
        domain: event.payload.domain,
        categoryCode: original?.category_code ?? null,
        employerKey: original?.employer_key ?? null,
        employerName: original?.employer_name ?? null,
      };
    }
    return null;
  }

  private async evaluate(
    manager: EntityManager,
    cause: KnownEvent,
    day: string,
    matter: Matter,
    { today, baseline }: { today: number; baseline: number },
  ): Promise<EventEnvelope | null> {
    if (today < hotspotThreshold(this.rule, baseline)) return null;

    const baselineDailyAverage = Math.round((baseline / this.rule.baselineDays) * 100) / 100;
    const now = new Date();
    const id = hotspotId(matter.kind, matter.key, day);
    const [row]: { inserted: boolean }[] = await manager.query(
      `INSERT INTO metrics.hotspot (id, kind, hotspot_key, day, region_code, category_code, employer_key, employer_name,
                                    count, baseline_daily_average, baseline_days, detected_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
       ON CONFLICT (kind, hotspot_key, day) DO UPDATE SET updated_at = EXCLUDED.updated_at
       RETURNING (xmax = 0) AS inserted`,
      [
        id,
        matter.kind,
        matter.key,
        day,
        matter.regionCode ?? null,
        matter.categoryCode ?? null,
        matter.employerKey ?? null,
        matter.employerName ?? null,
        today,
        baselineDailyAverage,
        this.rule.baselineDays,
        now,
      ],
    );
    // Raised once per matter and day (its count stays the one at detection; the API adds the
    // live count); a replay finds the row and raises nothing again.
    if (!row.inserted) return null;
    const params: unknown[] = [day];
    const tickets: { ticket_id: string }[] = await manager.query(
      `SELECT DISTINCT ticket_id FROM metrics.demand_signal WHERE ${whereOf(matter, params)} AND day = $1::date LIMIT ${TICKETS_IN_ALERT}`,
      params,
    );
    return createEvent(
      'metrics.hotspot-detected',
      {
        hotspotId: id,
        kind: matter.kind,
        day,
        regionCode: matter.regionCode,
        categoryCode: matter.categoryCode,
        employerName: matter.employerName,
        employerKey: matter.employerKey,
        count: today,
        baselineDailyAverage,
        baselineDays: this.rule.baselineDays,
        ticketIds: tickets.map((t) => t.ticket_id),
        detectedAt: toOffsetIso(now),
      },
      { ticketId: cause.ticketId, cause },
    );
  }
}

/** The matters a demand counts towards. */
function mattersOf(signal: Signal): Matter[] {
  const matters: Matter[] = [];
  if (signal.categoryCode) {
    matters.push({
      kind: 'region-category',
      key: `${signal.regionCode}/${signal.categoryCode}`,
      columns: { region_code: signal.regionCode, category_code: signal.categoryCode },
      regionCode: signal.regionCode,
      categoryCode: signal.categoryCode,
    });
  }
  // Wage arrears (欠薪) cluster by employer across districts: one company, many sites.
  if (signal.employerKey && signal.domain === 'wage-arrears') {
    matters.push({
      kind: 'employer',
      key: signal.employerKey,
      columns: { employer_key: signal.employerKey, domain: 'wage-arrears' },
      regionCode: signal.regionCode,
      employerKey: signal.employerKey,
      employerName: signal.employerName ?? undefined,
    });
  }
  return matters;
}

/** The predicate selecting a matter's signals; its values are appended to `params`. */
function whereOf(matter: Matter, params: unknown[]): string {
  return Object.entries(matter.columns)
    .map(([column, value]) => `${column} = $${params.push(value)}`)
    .join(' AND ');
}

/** The same matter and day always have the same id, so alerts and their drill-down links are stable. */
export function hotspotId(kind: HotspotKind, key: string, day: string): string {
  const hex = createHash('sha256').update(`${kind}\u0000${key}\u0000${day}`).digest('hex');
  // Shaped as a version-8 (custom) UUID.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
