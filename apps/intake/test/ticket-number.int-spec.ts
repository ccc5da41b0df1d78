import { migratedServiceDatabase } from '@hotline/testing';
import { DataSource } from 'typeorm';
import { INTAKE_DATABASE } from '../src/database/intake.database';
import { nextTicketNumber, nextTicketNumberUnless } from '../src/tickets/ticket-number';

/** 工单编号: per day, unique, increasing, drawn by many transactions at once without a lock. */
describe('ticket numbers (real PostgreSQL)', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await migratedServiceDatabase('intake', 'hotline_test_intake_numbers', INTAKE_DATABASE, { maxConnections: 12 });
  });

  afterAll(() => dataSource?.destroy());

  const draw = (at: Date) => dataSource.transaction((manager) => nextTicketNumber(manager, at));

  it('numbers a new day from 000001, by its Shanghai date, with many requests racing for its first number', async () => {
    // 23:30 UTC on 1 Dec is 07:30 on 2 Dec in Shanghai.
    const numbers = await Promise.all(Array.from({ length: 40 }, () => draw(new Date('2026-12-01T23:30:00Z'))));
    expect(new Set(numbers).size).toBe(40);
    expect([...numbers].sort()).toEqual(Array.from({ length: 40 }, (_, i) => `12333-20261202-${String(i + 1).padStart(6, '0')}`));
    expect(await draw(new Date('2026-12-02T01:00:00Z'))).toBe('12333-20261202-000041');
    expect(await draw(new Date('2026-12-03T01:00:00Z'))).toBe('12333-20261203-000001');
  });

  it('goes on after the numbers a day already has (drawn before sequences numbered tickets)', async () => {
    await dataSource.query(`INSERT INTO intake.ticket_number_sequence (day, last_value) VALUES ('20261205', 17)`);
    expect(await draw(new Date('2026-12-05T02:00:00Z'))).toBe('12333-20261205-000018');
  });

  it('leaves the caller’s transaction usable when it had to create the day’s sequence', async () => {
    const result = await dataSource.transaction(async (manager) => {
      const number = await nextTicketNumber(manager, new Date('2026-12-07T02:00:00Z'));
      const [{ ok }] = await manager.query(`SELECT 1 AS ok`);
      return { number, ok };
    });
    expect(result).toEqual({ number: '12333-20261207-000001', ok: 1 });
  });

  it('never hands out a number twice: one drawn by a transaction that failed is skipped (a gap)', async () => {
    const at = new Date('2026-12-09T02:00:00Z');
    expect(await draw(at)).toBe('12333-20261209-000001');
    await expect(
      dataSource.transaction(async (manager) => {
        await nextTicketNumber(manager, at);
        throw new Error('the request failed after drawing');
      }),
    ).rejects.toThrow('the request failed after drawing');
    expect(await draw(at)).toBe('12333-20261209-000003');
  });

  it('draws in one statement, without a transaction, once the day is known; none when the check finds a row', async () => {
    const at = new Date('2026-12-11T02:00:00Z');
    // A day this process has not seen: the caller must draw in a transaction (which creates it).
    expect(await nextTicketNumberUnless(dataSource.manager, at, null)).toBeUndefined();
    expect(await draw(at)).toBe('12333-20261211-000001');
    expect(await nextTicketNumberUnless(dataSource.manager, at, null)).toBe('12333-20261211-000002');
    const finds = (found: boolean) => ({ sql: `SELECT 1 AS x WHERE $1::boolean`, params: [found] });
    expect(await nextTicketNumberUnless(dataSource.manager, at, finds(true))).toBeNull();
    // Nothing was drawn for it: the next number follows on.
    expect(await nextTicketNumberUnless(dataSource.manager, at, finds(false))).toBe('12333-20261211-000003');
    const many = await Promise.all(Array.from({ length: 20 }, () => nextTicketNumberUnless(dataSource.manager, at, finds(false))));
    expect(new Set(many).size).toBe(20);
    expect(await draw(at)).toBe('12333-20261211-000024');
  });
});
