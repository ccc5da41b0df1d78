import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { EventActor } from '@hotline/contracts';

/** 工单轨迹 — one event of one ticket, as it travelled; the ticket's timeline is these in order. */
@Entity({ name: 'timeline_entry' })
@Index(['ticketId', 'occurredAt'])
export class TimelineEntry {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId: string;

  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'text' })
  producer: string;

  @Column({ type: 'jsonb' })
  actor: EventActor;

  @Column({ name: 'correlation_id', type: 'uuid' })
  correlationId: string;

  @Column({ name: 'causation_id', type: 'uuid', nullable: true })
  causationId: string | null;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;
}
