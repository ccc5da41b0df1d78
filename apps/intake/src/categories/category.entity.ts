import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BusinessDomain } from '@hotline/contracts';

/** 诉求分类 — a node of the three-level category tree, stored as data. */
@Entity({ name: 'category' })
export class Category {
  @PrimaryColumn({ type: 'text' })
  code: string;

  @Column({ name: 'parent_code', type: 'text', nullable: true })
  parentCode: string | null;

  @Column({ type: 'int' })
  level: number;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  domain: BusinessDomain;

  @Column({ type: 'boolean', default: true })
  active: boolean;
}
