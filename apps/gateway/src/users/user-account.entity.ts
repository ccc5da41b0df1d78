import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '@hotline/contracts';

/** A person who signs in: operator, dispatcher, handler, supervisor, leader or admin. */
@Entity({ name: 'user_account' })
export class UserAccount {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text', unique: true })
  username: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  @Column({ type: 'text' })
  role: Role;

  /** 承办单位: a handler belongs to exactly one department. */
  @Column({ name: 'department_id', type: 'uuid', nullable: true })
  departmentId: string | null;

  /** A district supervisor (区县督办员) watches one region; null for municipal staff. */
  @Column({ name: 'region_code', type: 'text', nullable: true })
  regionCode: string | null;

  @Column({ name: 'password_hash', type: 'text', select: false })
  passwordHash: string;

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  @Column({ name: 'failed_logins', type: 'int', default: 0 })
  failedLogins: number;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** What the API shows of a user: never the hash, never the lockout counters. */
export interface UserView {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  departmentId?: string;
  regionCode?: string;
  disabled: boolean;
}

export function toUserView(user: UserAccount): UserView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    ...(user.departmentId ? { departmentId: user.departmentId } : {}),
    ...(user.regionCode ? { regionCode: user.regionCode } : {}),
    disabled: user.disabled,
  };
}
