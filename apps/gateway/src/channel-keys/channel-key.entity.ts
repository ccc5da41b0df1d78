import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { Channel } from '@hotline/contracts';

/** 渠道密钥 — how a direct-report point or partner system calls the channel endpoint. */
@Entity({ name: 'channel_key' })
export class ChannelKey {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  channel: Channel;

  /** SHA-256 of the key: keys are long random strings, so a fast hash is enough. */
  @Column({ name: 'key_hash', type: 'text', unique: true, select: false })
  keyHash: string;

  /** The first characters, so an administrator can tell keys apart. */
  @Column({ name: 'key_prefix', type: 'text' })
  keyPrefix: string;

  @Column({ name: 'rate_per_minute', type: 'int' })
  ratePerMinute: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
