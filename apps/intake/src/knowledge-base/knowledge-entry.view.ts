import type { BusinessDomain } from '@hotline/contracts';
import { toOffsetIso } from '@hotline/contracts';
import { KnowledgeEntrySnapshot } from './knowledge-entry-version.entity';
import { KnowledgeEntry } from './knowledge-entry.entity';

/** An entry as every API answer shows it. */
export interface KnowledgeEntryView {
  id: string;
  question: string;
  answer: string;
  domain: BusinessDomain;
  keywords: string[];
  source: string;
  validFrom: string;
  validTo: string | null;
  version: number;
  active: boolean;
  /** Active and today within its validity: what the search would offer. */
  inForce: boolean;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

/** One search result: what the operator reads out, and how well it matched (0‥1). */
export interface KnowledgeHit {
  id: string;
  question: string;
  answer: string;
  domain: BusinessDomain;
  keywords: string[];
  source: string;
  validFrom: string;
  validTo: string | null;
  version: number;
  score: number;
}

export function toEntryView(entry: KnowledgeEntry, today: string): KnowledgeEntryView {
  return {
    id: entry.id,
    question: entry.question,
    answer: entry.answer,
    domain: entry.domain,
    keywords: entry.keywords,
    source: entry.source,
    validFrom: entry.validFrom,
    validTo: entry.validTo,
    version: entry.version,
    active: entry.active,
    inForce: entry.active && entry.validFrom <= today && (entry.validTo === null || entry.validTo >= today),
    createdAt: toOffsetIso(entry.createdAt),
    updatedAt: toOffsetIso(entry.updatedAt),
    updatedBy: entry.updatedBy,
  };
}

export function snapshotOf(entry: KnowledgeEntry): KnowledgeEntrySnapshot {
  return {
    question: entry.question,
    answer: entry.answer,
    domain: entry.domain,
    keywords: entry.keywords,
    validFrom: entry.validFrom,
    validTo: entry.validTo,
    source: entry.source,
    active: entry.active,
  };
}

/** Today's date on the hotline's wall clock (Asia/Shanghai), YYYY-MM-DD. */
export function shanghaiToday(now: Date = new Date()): string {
  return toOffsetIso(now).slice(0, 10);
}
