import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * 词频 — how many active entries of a domain hold a search term (its document frequency), kept
 * in the same transaction as every create, update and retirement. The search reads it to weigh
 * rare terms above common ones and to let the GIN index start from the rare ones.
 * The row whose term is '' counts the domain's active entries themselves (no real term is empty).
 */
@Entity({ name: 'knowledge_term' })
export class KnowledgeTerm {
  @PrimaryColumn({ type: 'text' })
  term: string;

  @PrimaryColumn({ type: 'text' })
  domain: string;

  @Column({ type: 'int' })
  entries: number;
}

/** The term of the row that counts the active entries. */
export const ALL_ENTRIES_TERM = '';
