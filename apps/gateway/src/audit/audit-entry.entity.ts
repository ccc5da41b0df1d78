import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type AuditAction =
  | 'login.succeeded'
  | 'login.failed'
  | 'login.locked'
  | 'user.created'
  | 'user.updated'
  | 'user.disabled'
  | 'user.enabled'
  | 'user.password-reset'
  | 'channel-key.created'
  | 'channel-key.revoked';

/** 审计日志 — who did what, when, from where. Append-only. */
@Entity({ name: 'audit_entry' })
export class AuditEntry {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  @Column({ type: 'text' })
  action: AuditAction;

  /** The acting user's id; null when nobody is signed in (a failed login). */
  @Column({ name: 'actor_id', type: 'text', nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_username', type: 'text', nullable: true })
  actorUsername: string | null;

  /** What the action was about: a user id, a channel key id, the username tried. */
  @Column({ type: 'text', nullable: true })
  target: string | null;

  @Column({ type: 'text', nullable: true })
  address: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  detail: Record<string, unknown>;
}
