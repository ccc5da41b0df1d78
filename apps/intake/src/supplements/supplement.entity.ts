import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { AttachmentRef } from '../tickets/ticket.entity';

/** 补充材料 — information or attachments the citizen added to an open ticket. */
@Entity({ name: 'supplement' })
export class Supplement {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId: string;

  @Column({ type: 'text' })
  content: string;

  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  attachments: AttachmentRef[];

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
