import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PiiCipher } from '@hotline/auth';
import { DataSource } from 'typeorm';
import { PII_CIPHER } from './pii-cipher.provider';

const BATCH = 500;

/**
 * Re-encrypts callers' details under the current key: after a key is added to PII_KEYS (and on
 * the first start after the encryption migration, for rows in clear). Runs in the background at
 * start-up; replicas share the work through SKIP LOCKED.
 */
@Injectable()
export class PiiRotation implements OnApplicationBootstrap {
  private readonly logger = new Logger('pii');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(PII_CIPHER) private readonly cipher: PiiCipher,
  ) {}

  onApplicationBootstrap(): void {
    void this.rotateAll().catch((err) => this.logger.error(`PII re-encryption stopped: ${(err as Error).message}`));
  }

  /** Re-encrypts everything not yet under the current key; returns how many tickets it changed. */
  async rotateAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const changed = await this.rotateBatch();
      total += changed;
      if (changed < BATCH) break;
    }
    if (total) this.logger.log(`re-encrypted the caller details of ${total} tickets under key ${this.cipher.currentVersion}`);
    return total;
  }

  private rotateBatch(): Promise<number> {
    const current = `${this.cipher.currentVersion}.%`;
    return this.dataSource.transaction(async (manager) => {
      const rows: { id: string; phone: string; id_number: string | null }[] = await manager.query(
        `SELECT id, caller_phone_cipher AS phone, caller_id_number_cipher AS id_number FROM intake.ticket
          WHERE caller_phone_cipher NOT LIKE $1 OR (caller_id_number_cipher IS NOT NULL AND caller_id_number_cipher NOT LIKE $1)
          LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        [current],
      );
      for (const row of rows) {
        await manager.query(`UPDATE intake.ticket SET caller_phone_cipher = $2, caller_id_number_cipher = $3 WHERE id = $1`, [
          row.id,
          this.reencrypt(row.phone),
          row.id_number === null ? null : this.reencrypt(row.id_number),
        ]);
      }
      return rows.length;
    });
  }

  /** A value that is not cipher text is legacy clear text from before encryption. */
  private reencrypt(stored: string): string {
    const isCipherText = /^v\d+\.[\w-]+\.[\w-]+\.[\w-]*$/.test(stored);
    return this.cipher.encrypt(isCipherText ? this.cipher.decrypt(stored) : stored);
  }
}
