import type { BusinessDomain, RepeatMatch } from '@hotline/contracts';
import { EntityManager } from 'typeorm';

/** How far back a new demand is matched against earlier tickets (DOMAIN.md: 30 days). */
export const REPEAT_WINDOW_DAYS = 30;

export interface RepeatCandidate {
  id: string;
  number: string;
  title: string;
  domain: BusinessDomain;
  regionCode: string;
  receivedAt: Date;
  repeatCount: number;
  matchedOn: RepeatMatch;
  receivedEventId: string | null;
}

export interface RepeatQuery {
  callerPhoneHash?: string | null;
  employerKey?: string | null;
  domain?: BusinessDomain | null;
  now?: Date;
  /** Lock the rows found, for linking within the caller's transaction. */
  lock?: boolean;
}

/** The SELECT `findRepeatCandidates` runs (null when the demand names neither caller nor employer). */
export function repeatCandidatesQuery(query: RepeatQuery): { sql: string; params: unknown[] } | null {
  const since = new Date((query.now ?? new Date()).getTime() - REPEAT_WINDOW_DAYS * 24 * 3600_000);
  const clauses: string[] = [];
  const params: unknown[] = [since];
  if (query.callerPhoneHash) {
    params.push(query.callerPhoneHash);
    clauses.push(`caller_phone_hash = $${params.length}`);
  }
  if (query.employerKey && query.domain) {
    params.push(query.employerKey, query.domain);
    clauses.push(`(employer_key = $${params.length - 1} AND domain = $${params.length})`);
  }
  if (!clauses.length) return null;
  const phoneParam = query.callerPhoneHash ? 2 : null;
  return {
    sql: `SELECT id, number, title, domain, region_code, received_at, repeat_count, received_event_id,
            ${phoneParam ? `caller_phone_hash = $${phoneParam}` : 'false'} AS by_caller
       FROM intake.ticket
      WHERE disposition = 'dispatch' AND (closed_at IS NULL OR closed_at >= $1) AND (${clauses.join(' OR ')})
      ORDER BY by_caller DESC, received_at DESC
      LIMIT 10${query.lock ? ' FOR UPDATE' : ''}`,
    params,
  };
}

/**
 * Matters a new demand may repeat (DOMAIN.md: within 30 days of an open or recently closed
 * ticket): dispatched tickets (not answered on the call) still open, however old, or closed
 * within the window — from the same caller, or about the same employer and domain; the
 * caller's own first, then the most recent.
 */
export async function findRepeatCandidates(manager: EntityManager, query: RepeatQuery): Promise<RepeatCandidate[]> {
  const statement = repeatCandidatesQuery(query);
  if (!statement) return [];
  const rows: {
    id: string;
    number: string;
    title: string;
    domain: BusinessDomain;
    region_code: string;
    received_at: Date;
    repeat_count: number;
    by_caller: boolean;
    received_event_id: string | null;
  }[] = await manager.query(statement.sql, statement.params);
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    title: r.title,
    domain: r.domain,
    regionCode: r.region_code,
    receivedAt: r.received_at,
    repeatCount: r.repeat_count,
    matchedOn: r.by_caller ? 'caller' : 'employer',
    receivedEventId: r.received_event_id,
  }));
}
