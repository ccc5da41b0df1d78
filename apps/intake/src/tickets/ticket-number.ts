import { EntityManager } from 'typeorm';

/** Local (Asia/Shanghai) calendar day of an instant as YYYYMMDD. */
export function shanghaiDay(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

export function formatTicketNumber(day: string, sequence: number): string {
  return `12333-${day}-${String(sequence).padStart(6, '0')}`;
}

/** The PostgreSQL sequence that numbers the tickets of one day (YYYYMMDD, digits only). */
export function ticketNumberSequence(day: string): string {
  if (!/^\d{8}$/.test(day)) throw new Error(`not a day: ${day}`);
  return `intake.ticket_number_${day}`;
}

/**
 * Draws the next 工单编号 of the day from that day's sequence, in the caller's transaction.
 *
 * A sequence is not transactional, so nothing stays locked until COMMIT: a single counter row
 * did that and numbered one ticket at a time (≈ 230/s whatever the machine, bench/README.md).
 * The price is a gap when a transaction fails after drawing (the number is drawn after every
 * check, so only a database failure leaves one); numbers stay unique, per day, increasing.
 */
export async function nextTicketNumber(manager: EntityManager, receivedAt: Date): Promise<string> {
  const day = shanghaiDay(receivedAt);
  const sequence = ticketNumberSequence(day);
  for (let attempt = 0; ; attempt += 1) {
    // A savepoint: a day whose sequence is not there yet must not abort the caller's transaction.
    await manager.query('SAVEPOINT ticket_number');
    try {
      const [row]: { value: string }[] = await manager.query(`SELECT nextval($1::regclass) AS value`, [sequence]);
      await manager.query('RELEASE SAVEPOINT ticket_number');
      return formatTicketNumber(day, Number(row.value));
    } catch (err) {
      await manager.query('ROLLBACK TO SAVEPOINT ticket_number');
      if ((err as { driverError?: { code?: string } }).driverError?.code !== '42P01' || attempt > 0) throw err;
      await createDaySequence(manager, day);
    }
  }
}

/**
 * Creates a day's sequence, once whoever races for it: it starts after the numbers the day
 * already has (the counter rows of before, tickets received with an earlier number).
 */
export async function createDaySequence(manager: EntityManager, day: string): Promise<void> {
  const sequence = ticketNumberSequence(day);
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [sequence]);
  const [{ exists }]: { exists: boolean }[] = await manager.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [sequence]);
  if (exists) return;
  const [{ used }]: { used: number }[] = await manager.query(
    `SELECT greatest(
       (SELECT last_value FROM intake.ticket_number_sequence WHERE day = $1),
       (SELECT max(split_part(number, '-', 3)::int) FROM intake.ticket WHERE number LIKE '12333-' || $1 || '-%'),
       0)::int AS used`,
    [day],
  );
  await manager.query(`CREATE SEQUENCE ${sequence} AS bigint START WITH ${used + 1} MINVALUE 1`);
}
