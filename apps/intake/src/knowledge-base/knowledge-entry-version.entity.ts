import { Column, Entity, PrimaryColumn } from 'typeorm';

export const KNOWLEDGE_CHANGES = ['created', 'updated', 'retired'] as const;
export type KnowledgeChange = (typeof KNOWLEDGE_CHANGES)[number];

/** What a version records of the entry: its content and state as they were after the change. */
export interface KnowledgeEntrySnapshot {
  question: string;
  answer: string;
  domain: string;
  keywords: string[];
  validFrom: string;
  validTo: string | null;
  source: string;
  active: boolean;
}

/** 版本记录 — the entry as it was after each change, who made it and when; never updated. */
@Entity({ name: 'knowledge_entry_version' })
export class KnowledgeEntryVersion {
  @PrimaryColumn({ name: 'entry_id', type: 'uuid' })
  entryId: string;

  @PrimaryColumn({ type: 'int' })
  version: number;

  @Column({ type: 'text' })
  change: KnowledgeChange;

  @Column({ type: 'jsonb' })
  snapshot: KnowledgeEntrySnapshot;

  @Column({ name: 'changed_by', type: 'text' })
  changedBy: string;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt: Date;
}
