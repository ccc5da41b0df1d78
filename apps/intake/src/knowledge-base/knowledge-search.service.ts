import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { BusinessDomain } from '@hotline/contracts';
import { KnowledgeEntry } from './knowledge-entry.entity';
import { KnowledgeHit, shanghaiToday } from './knowledge-entry.view';
import { MAX_TERM_WEIGHT, queryTerms } from './knowledge-terms';
import { ALL_ENTRIES_TERM } from './knowledge-term.entity';

export interface KnowledgeSearchOptions {
  domain?: BusinessDomain;
  limit?: number;
  /** The day validity is judged on (YYYY-MM-DD); today in Asia/Shanghai when omitted. */
  today?: string;
  /** Every entry sharing any term is a candidate, however common the term (slow; for checks). */
  exhaustive?: boolean;
}

/**
 * How many entries (of the requested domain, if any) the query's terms may bring as candidates,
 * rarest terms first, before the remaining, common ones count in the rank only. Ranking costs a
 * few microseconds per candidate; see bench/knowledge-search.bench.ts for the trade-off.
 */
export const CANDIDATE_BUDGET = 2_000;

/** Rows the GIN index may hand to the domain check, when a domain is asked for. */
const FETCH_BUDGET_FACTOR = 4;

/** A query term with its document frequency (active entries holding it) and its weight. */
export interface WeightedTerm {
  term: string;
  /** Entries holding the term, all domains. */
  entries: number;
  /** Entries holding the term in the requested domain (= entries without a domain). */
  inDomain: number;
  /** Rarity: ln(1 + (N − n + ½) / (n + ½)), BM25's; above 0 for every term. */
  idf: number;
}

interface HitRow {
  id: string;
  question: string;
  answer: string;
  domain: BusinessDomain;
  keywords: string[];
  source: string;
  valid_from: string;
  valid_to: string | null;
  version: number;
  score: number;
}

/**
 * 政策检索 — finds the answers for the caller's words while the call goes on.
 *
 * Rank, computed in SQL: every query term the entry holds scores its place weight (3 in the
 * keywords + 2 in the question + 1 in the answer's opening) times the term's rarity (idf, from the
 * document frequencies in knowledge_term: 保险 is in half the answers and says little, 挂失 is in
 * two and says much). The sum is divided by the best score the query could reach (6 × the idf of
 * all its terms): 1 means every word of the query is in the entry's keywords, question and answer;
 * with equal rarities this is the plain "matches per query term". Ties go to the shorter question.
 *
 * Candidates come from the GIN index: `search_terms && terms`, active rows only, then validity
 * and domain. In a large knowledge base the commonest terms would make nearly every entry a
 * candidate and cost a full pass, so the filter takes the rarest terms until CANDIDATE_BUDGET;
 * the common ones still count in the rank of the candidates. An entry that shares only very common
 * words with the query is then not offered — it would rank low anyway (the benchmark measures how
 * often the top answer differs from an exhaustive search: 1 % at 10,000 entries). When the rare
 * terms bring no entry in force at all, every term selects. Below a few thousand entries the
 * budget seldom binds and the search is exhaustive.
 */
@Injectable()
export class KnowledgeSearch {
  /** See CANDIDATE_BUDGET; changed only by the benchmark, to measure the trade-off. */
  candidateBudget = CANDIDATE_BUDGET;

  constructor(@InjectRepository(KnowledgeEntry) private readonly entries: Repository<KnowledgeEntry>) {}

  async search(query: string, options: KnowledgeSearchOptions = {}): Promise<KnowledgeHit[]> {
    const plan = await this.plan(query, options);
    if (!plan) return [];
    const rows = await this.rank(plan.terms, plan.filter, options);
    // The rare terms may all belong to entries out of force today: then let every term select.
    if (!rows.length && plan.filter.length < plan.present.length) return toHits(await this.rank(plan.terms, plan.present, options));
    return toHits(rows);
  }

  /** EXPLAIN ANALYZE of the ranking query as search() would run it (diagnostics, the benchmark). */
  async explain(query: string, options: KnowledgeSearchOptions = {}): Promise<string[]> {
    const plan = await this.plan(query, options);
    if (!plan) return ['(no term of the query is in the knowledge base)'];
    const rows = await this.rank<{ 'QUERY PLAN': string }>(plan.terms, plan.filter, options, 'EXPLAIN (ANALYZE, BUFFERS) ');
    return rows.map((r) => r['QUERY PLAN']);
  }

  /**
   * The weighted terms of the query, those that entries (of the domain) hold, and those of them
   * that select the candidates; null when no entry holds any.
   */
  private async plan(
    query: string,
    options: KnowledgeSearchOptions,
  ): Promise<{ terms: WeightedTerm[]; present: WeightedTerm[]; filter: WeightedTerm[] } | null> {
    const terms = await this.weigh(queryTerms(query), options.domain);
    const present = terms.filter((t) => t.inDomain > 0);
    const filter = options.exhaustive
      ? present
      : candidateTerms(terms, this.candidateBudget, options.domain ? this.candidateBudget * FETCH_BUDGET_FACTOR : Infinity);
    return filter.length ? { terms, present, filter } : null;
  }

  private async weigh(terms: string[], domain?: BusinessDomain): Promise<WeightedTerm[]> {
    if (!terms.length) return [];
    const rows: { term: string; domain: string; entries: number }[] = await this.entries.query(
      `SELECT term, domain, entries FROM intake.knowledge_term WHERE term = ANY ($1::text[]) AND entries > 0`,
      [[ALL_ENTRIES_TERM, ...terms]],
    );
    const all = new Map<string, number>();
    const inDomain = new Map<string, number>();
    for (const row of rows) {
      all.set(row.term, (all.get(row.term) ?? 0) + row.entries);
      if (!domain || row.domain === domain) inDomain.set(row.term, (inDomain.get(row.term) ?? 0) + row.entries);
    }
    const total = all.get(ALL_ENTRIES_TERM) ?? 0;
    return terms.map((term) => {
      const entries = all.get(term) ?? 0;
      return { term, entries, inDomain: inDomain.get(term) ?? 0, idf: Math.log(1 + (total - entries + 0.5) / (entries + 0.5)) };
    });
  }

  private rank<T = HitRow>(terms: WeightedTerm[], filter: WeightedTerm[], options: KnowledgeSearchOptions, prefix = ''): Promise<T[]> {
    // Terms no entry holds score nothing but still count in the best possible score.
    const bestPossible = MAX_TERM_WEIGHT * sum(terms.map((t) => t.idf));
    const params: unknown[] = [filter.map((t) => t.term), options.today ?? shanghaiToday(), options.limit ?? 10, bestPossible];
    const param = (value: unknown) => `$${params.push(value)}`;
    // One addend per query term, written out: cheaper per row than unnest + aggregate.
    const score = terms
      .filter((t) => t.entries > 0)
      .map((t) => `coalesce((w.weights -> ${param(t.term)}::text)::int, 0) * ${param(t.idf)}::float8`)
      .join(' + ');
    const domainFilter = options.domain ? `AND e.domain = ${param(options.domain)}::text` : '';
    // The inner query ranks the candidates on narrow rows; only the top ones are read in full.
    // The LATERAL copy decompresses term_weights once per row, not once per term.
    const sql = `${prefix}SELECT e.id, e.question, e.answer, e.domain, e.keywords, e.source,
              to_char(e.valid_from, 'YYYY-MM-DD') AS valid_from,
              to_char(e.valid_to, 'YYYY-MM-DD') AS valid_to,
              e.version, r.score
         FROM (SELECT e.id, (${score}) / $4::float8 AS score, length(e.question) AS size
                 FROM intake.knowledge_entry e
                CROSS JOIN LATERAL (SELECT e.term_weights || '{}'::jsonb AS weights OFFSET 0) AS w
                WHERE e.active
                  AND e.search_terms && $1::text[]
                  AND e.valid_from <= $2::date
                  AND (e.valid_to IS NULL OR e.valid_to >= $2::date)
                  ${domainFilter}
                ORDER BY score DESC, size, e.id
                LIMIT $3) AS r
         JOIN intake.knowledge_entry e ON e.id = r.id
        ORDER BY r.score DESC, r.size, r.id`;
    // The planner prices `&&` like an equality, yet on a seq scan it unpacks a hundred-term array
    // per row (some 25 µs): when it guesses many candidates it would read the whole table instead
    // of the GIN index, ten times slower. SET LOCAL keeps it on the index for this query only.
    return this.entries.manager.transaction(async (manager) => {
      await manager.query('SET LOCAL enable_seqscan = off');
      return manager.query(sql, params);
    });
  }
}

/**
 * The terms whose entries become candidates: the rarest first (within the domain asked for),
 * until the next one would bring more candidates than `budget` or make the index hand over more
 * rows than `fetchBudget` (all domains); always at least the rarest. Terms no entry holds are skipped.
 */
export function candidateTerms<T extends Pick<WeightedTerm, 'term' | 'entries' | 'inDomain'>>(
  terms: T[],
  budget: number,
  fetchBudget = Infinity,
): T[] {
  const present = terms
    .filter((t) => t.inDomain > 0)
    .sort((a, b) => a.inDomain - b.inDomain || a.entries - b.entries || (a.term < b.term ? -1 : 1));
  const chosen: T[] = [];
  let candidates = 0;
  let fetched = 0;
  for (const term of present) {
    if (chosen.length && (candidates + term.inDomain > budget || fetched + term.entries > fetchBudget)) break;
    chosen.push(term);
    candidates += term.inDomain;
    fetched += term.entries;
  }
  return chosen;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function toHits(rows: HitRow[]): KnowledgeHit[] {
  return rows.map((r) => ({
    id: r.id,
    question: r.question,
    answer: r.answer,
    domain: r.domain,
    keywords: r.keywords,
    source: r.source,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    version: r.version,
    score: Math.round(r.score * 1000) / 1000,
  }));
}
