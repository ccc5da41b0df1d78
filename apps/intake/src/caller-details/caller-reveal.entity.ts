import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 查看记录 — who saw a caller's full phone or ID number, when, from where and why. */
@Entity({ name: 'caller_reveal' })
export class CallerReveal {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId: string;

  @Column({ name: 'actor_id', type: 'text' })
  actorId: string;

  @Column({ name: 'actor_username', type: 'text' })
  actorUsername: string;

  @Column({ name: 'actor_role', type: 'text' })
  actorRole: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'text', nullable: true })
  address: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;
}
