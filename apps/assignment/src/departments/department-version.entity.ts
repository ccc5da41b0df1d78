import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DepartmentKind } from '@hotline/contracts';

export const DEPARTMENT_CHANGES = ['created', 'updated'] as const;
export type DepartmentChange = (typeof DEPARTMENT_CHANGES)[number];

/** The department as it was after a change. */
export interface DepartmentSnapshot {
  code: string;
  name: string;
  kind: DepartmentKind;
  regionCode: string | null;
  active: boolean;
}

/** 单位版本 — each version of a department, who made it and when; append-only. */
@Entity({ name: 'department_version' })
export class DepartmentVersion {
  @PrimaryColumn({ name: 'department_id', type: 'uuid' })
  departmentId: string;

  @PrimaryColumn({ type: 'int' })
  version: number;

  @Column({ type: 'text' })
  change: DepartmentChange;

  @Column({ type: 'jsonb' })
  snapshot: DepartmentSnapshot;

  @Column({ name: 'changed_by', type: 'text' })
  changedBy: string;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt: Date;
}
