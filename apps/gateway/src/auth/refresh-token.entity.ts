import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A refresh token, stored as its SHA-256 only; each use replaces it with a new one. */
@Entity({ name: 'refresh_token' })
export class RefreshToken {
  @PrimaryColumn({ name: 'token_hash', type: 'text' })
  tokenHash: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;
}
