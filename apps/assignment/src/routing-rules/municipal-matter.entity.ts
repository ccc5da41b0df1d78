import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { MunicipalMatterData } from './routing-rule.model';

/**
 * 市级事项 — the list the 基层减负 guard reads (decide-routing.ts): a category prefix and the
 * municipal office responsible for it. Reference data, seeded by migration.
 */
@Entity({ name: 'municipal_matter' })
export class MunicipalMatter implements MunicipalMatterData {
  @PrimaryColumn({ name: 'category_prefix', type: 'text' })
  categoryPrefix: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'office_code', type: 'text' })
  officeCode: string;
}
