import { PiiCipher } from '@hotline/auth';
import { uuidv7 } from '@hotline/contracts';
import { migratedServiceDatabase } from '@hotline/testing';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PiiRotation } from '../src/caller-details/pii-rotation';
import { INTAKE_DATABASE } from '../src/database/intake.database';

const key = () => randomBytes(32).toString('base64');
const V1 = `v1:${key()}`;
const V2 = `v2:${key()}`;

describe('caller details key rotation (real PostgreSQL)', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await migratedServiceDatabase('intake', 'hotline_test_intake_pii', INTAKE_DATABASE);
  });

  afterAll(() => dataSource?.destroy());

  async function insertTicket(phoneStored: string, idStored: string | null): Promise<string> {
    const id = uuidv7();
    await dataSource.query(
      `INSERT INTO intake.ticket (id, number, channel, demand_type, domain, urgency, region_code, title, content,
         caller_name, caller_phone_cipher, caller_id_number_cipher, caller_phone_hash, received_at)
       VALUES ($1, $2, 'phone', 'consultation', 'employment', 'normal', '500103', '咨询', '咨询就业补贴', '某人', $3, $4, 'h', now())`,
      [id, `12333-20261122-${String(Math.floor(Math.random() * 999999)).padStart(6, '0')}`, phoneStored, idStored],
    );
    return id;
  }

  it('re-encrypts legacy clear text and old-key values under the current key, once', async () => {
    const old = new PiiCipher(V1);
    const legacy = await insertTicket('13900001111', null);
    const underV1 = await insertTicket(old.encrypt('02367700003'), old.encrypt('11010519491231002X'));

    const ring = new PiiCipher(`${V1},${V2}`);
    const rotation = new PiiRotation(dataSource, ring);
    expect(await rotation.rotateAll()).toBe(2);
    expect(await rotation.rotateAll()).toBe(0);

    const rows: { id: string; phone: string; id_number: string | null }[] = await dataSource.query(
      'SELECT id, caller_phone_cipher AS phone, caller_id_number_cipher AS id_number FROM intake.ticket',
    );
    const byId = (id: string) => {
      const row = rows.find((r) => r.id === id);
      if (!row) throw new Error(`ticket ${id} is gone`);
      return row;
    };
    expect(rows.every((r) => r.phone.startsWith('v2.'))).toBe(true);
    expect(ring.decrypt(byId(legacy).phone)).toBe('13900001111');
    expect(ring.decrypt(byId(underV1).phone)).toBe('02367700003');
    expect(ring.decrypt(byId(underV1).id_number as string)).toBe('11010519491231002X');
    // The old key alone can no longer read what was rotated.
    expect(() => old.decrypt(byId(underV1).phone)).toThrow();
  });
});
