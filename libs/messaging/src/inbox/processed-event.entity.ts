import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * 已处理事件 — the inbox: one row per event a consumer has applied, written in the same
 * transaction as the effect, so a redelivered event is recognised and changes nothing.
 */
@Entity({ name: 'processed_event' })
export class ProcessedEvent {
  @PrimaryColumn({ type: 'text' })
  consumer: string;

  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @CreateDateColumn({ name: 'processed_at', type: 'timestamptz' })
  processedAt: Date;
}
