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
   * Records the demands among `events` as signals and returns the alerts to emit (in the
   * caller's transaction). Each demand is judged, in order, against the signals before it — as if
   * they had come one at a time — from counts read once for the batch: every matter's days in its
   * window, before this batch's signals are written (in one statement).
   */
  async recordAll(manager: EntityManager, events: readonly KnownEvent[]): Promise<EventEnvelope[]> {
    const demands = await this.signalsOf(manager, events);
    if (!demands.length) return [];
    const counts = await this.countsBefore(manager, demands);
    const inserted: { event_id: string }[] = await manager.query(
      `INSERT INTO metrics.demand_signal
         (event_id, ticket_id, day, region_code, domain, category_code, employer_key, employer_name, received_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[])
       ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
      [
        demands.map((d) => d.event.eventId),
        demands.map((d) => d.signal.ticketId),
        demands.map((d) => d.signal.day),
        demands.map((d) => d.signal.regionCode),
        demands.map((d) => d.signal.domain),
        demands.map((d) => d.signal.categoryCode),
        demands.map((d) => d.signal.employerKey),
        demands.map((d) => d.signal.employerName),
        demands.map((d) => d.receivedAt),
      ],
    );
    const fresh = new Set(inserted.map((row) => row.event_id));
    const alerts: EventEnvelope[] = [];
    const judged = new Set<string>();
    for (const [index, { event, signal }] of demands.entries()) {
      const isNew = fresh.has(event.eventId.toLowerCase());
      for (const matter of mattersOf(signal)) {
        const days = counts.get(matterKey(matter)) ?? new Map<string, number>();
        counts.set(matterKey(matter), days);
        if (isNew) days.set(signal.day, (days.get(signal.day) ?? 0) + 1);
        const today = days.get(signal.day) ?? 0;
        let baseline = 0;
        for (let back = 1; back <= this.rule.baselineDays; back += 1) baseline += days.get(addDays(signal.day, -back)) ?? 0;
        if (today < hotspotThreshold(this.rule, baseline)) continue;
        // Once a matter's day is a hotspot, the batch's later demands about it change nothing more.
        const once = `${matterKey(matter)}\u0000${signal.day}`;
        if (judged.has(once)) continue;
        judged.add(once);
        // The tickets named are those of the signals up to this demand, as if they came one by one.
        const later = demands.slice(index + 1).map((d) => d.event.eventId);
        const alert = await this.raise(manager, event, signal.day, matter, { today, baseline, later });
        if (alert) alerts.push(alert);
      }
    }
    return alerts;
  }

  /** The demands among the events, with their signals, in the events' order. */
  private async signalsOf(manager: EntityManager, events: readonly KnownEvent[]): Promise<{ event: KnownEvent; signal: Signal; receivedAt: string }[]> {
    const repeats = events.filter((e) => e.type === 'ticket.repeat-linked').map((e) => e.ticketId.toLowerCase());
    // A repeat is about its original's matter: same partition, so the original's signal is here
    // (stored, or earlier in this batch): the ticket's earliest signal.
    const stored = new Map<string, { signal: Pick<Signal, 'categoryCode' | 'employerKey' | 'employerName'>; at: number }>();
    if (repeats.length) {
      const rows: { ticket_id: string; category_code: string | null; employer_key: string | null; employer_name: string | null; received_at: Date }[] =
        await manager.query(
          `SELECT DISTINCT ON (ticket_id) ticket_id, category_code, employer_key, employer_name, received_at
             FROM metrics.demand_signal WHERE ticket_id = ANY($1::uuid[]) ORDER BY ticket_id, received_at`,
          [[...new Set(repeats)]],
        );
      for (const r of rows) {
        stored.set(r.ticket_id, {
          signal: { categoryCode: r.category_code, employerKey: r.employer_key, employerName: r.employer_name },
          at: r.received_at.getTime(),
        });
      }
    }
    const demands: { event: KnownEvent; signal: Signal; receivedAt: string }[] = [];
    for (const event of events) {
      const ticketId = event.ticketId.toLowerCase();
      if (event.type === 'ticket.received') {
        const p = event.payload;
        const signal: Signal = {
          ticketId: event.ticketId,
          day: shanghaiDate(p.receivedAt),
          regionCode: p.regionCode,
          domain: p.domain,
          categoryCode: p.categoryCode ?? null,
          employerKey: employerKey(p.employerName),
          employerName: p.employerName ?? null,
        };
        demands.push({ event, signal, receivedAt: p.receivedAt });
        const at = Date.parse(p.receivedAt);
        const known = stored.get(ticketId);
        if (!known || at < known.at) stored.set(ticketId, { signal, at });
      } else if (event.type === 'ticket.repeat-linked') {
        const original = stored.get(ticketId)?.signal;
        const signal: Signal = {
          ticketId: event.ticketId,
          day: shanghaiDate(event.payload.receivedAt),
          regionCode: event.payload.regionCode,
          domain: event.payload.domain,
          categoryCode: original?.categoryCode ?? null,
          employerKey: original?.employerKey ?? null,
          employerName: original?.employerName ?? null,
        };
        demands.push({ event, signal, receivedAt: event.occurredAt });
        const at = Date.parse(event.occurredAt);
        const known = stored.get(ticketId);
        if (!known || at < known.at) stored.set(ticketId, { signal, at });
      }
    }
    return demands;
  }

  /**
   * The stored signals of every matter the demands count towards, per day, over the days their
   * judgement reads (each demand's day and the baseline days before it).
   */
  private async countsBefore(manager: EntityManager, demands: readonly { signal: Signal }[]): Promise<Map<string, Map<string, number>>> {
    const spans = new Map<string, { matter: Matter; from: string; to: string }>();
    for (const { signal } of demands) {
      for (const matter of mattersOf(signal)) {
        const from = addDays(signal.day, -this.rule.baselineDays);
        const span = spans.get(matterKey(matter));
        if (!span) spans.set(matterKey(matter), { matter, from, to: signal.day });
        else {
          if (from < span.from) span.from = from;
          if (signal.day > span.to) span.to = signal.day;
        }
      }
    }
    const list = [...spans.values()];
    const regional = list.filter((s) => s.matter.kind === 'region-category');
    const employers = list.filter((s) => s.matter.kind === 'employer');
    // Matters are named by their place in this list (the keys hold a NUL, which text cannot).
    const named = [...regional, ...employers];
    const rows: { matter: number; day: string; n: number }[] = await manager.query(
      `SELECT m.matter, to_char(s.day, 'YYYY-MM-DD') AS day, count(*)::int AS n
         FROM unnest($1::int[], $2::text[], $3::text[], $4::date[], $5::date[]) AS m (matter, region_code, category_code, from_day, to_day)
         JOIN metrics.demand_signal s
           ON s.region_code = m.region_code AND s.category_code = m.category_code AND s.day BETWEEN m.from_day AND m.to_day
        GROUP BY 1, 2
       UNION ALL
       SELECT m.matter, to_char(s.day, 'YYYY-MM-DD'), count(*)::int
         FROM unnest($6::int[], $7::text[], $8::date[], $9::date[]) AS m (matter, employer_key, from_day, to_day)
         JOIN metrics.demand_signal s
           ON s.employer_key = m.employer_key AND s.domain = 'wage-arrears' AND s.day BETWEEN m.from_day AND m.to_day
        GROUP BY 1, 2`,
      [
        regional.map((_, i) => i),
        regional.map((s) => s.matter.regionCode),
        regional.map((s) => s.matter.categoryCode),
        regional.map((s) => s.from),
        regional.map((s) => s.to),
        employers.map((_, i) => regional.length + i),
        employers.map((s) => s.matter.employerKey),
        employers.map((s) => s.from),
        employers.map((s) => s.to),
      ],
    );
    const counts = new Map<string, Map<string, number>>();
    for (const row of rows) {
      const key = matterKey(named[row.matter].matter);
      const days = counts.get(key) ?? new Map<string, number>();
      days.set(row.day, row.n);
      counts.set(key, days);
    }
    return counts;
  }

  /** Records the hotspot of a matter's day, and returns its alert the first time it is seen. */
  private async raise(
    manager: EntityManager,
    cause: KnownEvent,
    day: string,
    matter: Matter,
    { today, baseline, later }: { today: number; baseline: number; later: string[] },
  ): Promise<EventEnvelope | null> {
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
    const params: unknown[] = [day, later];
    const tickets: { ticket_id: string }[] = await manager.query(
      `SELECT DISTINCT ticket_id FROM metrics.demand_signal
        WHERE ${whereOf(matter, params)} AND day = $1::date AND NOT (event_id = ANY($2::uuid[])) LIMIT ${TICKETS_IN_ALERT}`,
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

/** A matter's identity within its kind: the key its counts are kept under. */
function matterKey(matter: Matter): string {
  return `${matter.kind}\u0000${matter.key}`;
}

/** A calendar day (YYYY-MM-DD) moved by whole days. */
function addDays(day: string, by: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + by * 86_400_000).toISOString().slice(0, 10);
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
