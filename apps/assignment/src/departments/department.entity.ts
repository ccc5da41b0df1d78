import { Column, Entity, PrimaryColumn } from 'typeorm';

import type { DepartmentKind } from '@hotline/contracts';

export type { DepartmentKind };

/** 承办单位 — a district/county bureau (区县人力社保局) or a municipal office (市局处室/直属单位). */
@Entity({ name: 'department' })
export class Department {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** A region bureau uses its region code (500103); a municipal office its own short code. */
  @Column({ type: 'text', unique: true })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  kind: DepartmentKind;

  @Column({ name: 'region_code', type: 'text', nullable: true })
  regionCode: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'int', default: 1 })
  version: number;
}
