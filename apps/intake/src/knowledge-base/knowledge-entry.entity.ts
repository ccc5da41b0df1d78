import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BusinessDomain } from '@hotline/contracts';

/**
 * 政策咨询问答 — one policy answer of the knowledge base, as operators read it to a caller.
 * Every change writes a KnowledgeEntryVersion in the same transaction.
 */
@Entity({ name: 'knowledge_entry' })
export class KnowledgeEntry {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** 1 on creation, +1 on every update or retirement. */
  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'text' })
  question: string;

  @Column({ type: 'text' })
  answer: string;

  @Column({ type: 'text' })
  domain: BusinessDomain;

  @Column({ type: 'text', array: true })
  keywords: string[];

  /** 生效日期 — the first day the answer applies (YYYY-MM-DD, Asia/Shanghai). */
  @Column({ name: 'valid_from', type: 'date' })
  validFrom: string;

  /** 失效日期 — the last day it applies; null while in force without end. */
  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo: string | null;

  /** 政策依据 — the law or notice the answer rests on (《失业保险条例》, 渝人社发〔2024〕12号 …). */
  @Column({ type: 'text' })
  source: string;

  /** False once retired (废止): kept for the record and its versions, never found by search. */
  @Column({ type: 'boolean' })
  active: boolean;

  /** Derived from question, keywords and the answer's opening (knowledge-terms.ts); GIN-indexed. */
  @Column({ name: 'search_terms', type: 'text', array: true })
  searchTerms: string[];

  /** Term → the sum of its place weights (keywords 3 + question 2 + answer 1), read by the ranking in SQL. */
  @Column({ name: 'term_weights', type: 'jsonb' })
  termWeights: Record<string, number>;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /** Username of whoever made the latest change. */
  @Column({ name: 'updated_by', type: 'text' })
  updatedBy: string;
}
