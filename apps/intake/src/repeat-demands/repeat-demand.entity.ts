import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Channel, RepeatMatch } from '@hotline/contracts';

/** 重复诉求 — a demand recognised as a repeat of an open ticket and linked to it (并单). */
@Entity({ name: 'repeat_demand' })
export class RepeatDemand {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'original_ticket_id', type: 'uuid' })
  originalTicketId: string;

  @Column({ name: 'matched_on', type: 'text' })
  matchedOn: RepeatMatch;

  @Column({ type: 'text' })
  channel: Channel;

  @Column({ type: 'text' })
  content: string;

  @Column({ name: 'caller_name', type: 'text' })
  callerName: string;

  @Column({ name: 'caller_phone_cipher', type: 'text' })
  callerPhoneCipher: string;

  @Column({ name: 'caller_phone_hash', type: 'text' })
  callerPhoneHash: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ name: 'created_by', type: 'text', nullable: true })
  createdBy: string | null;
}
