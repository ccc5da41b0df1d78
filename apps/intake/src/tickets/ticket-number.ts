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
  // The day's sequence must exist first; once seen committed, one statement per ticket.
  if (!daysWithSequence.has(day)) {
    if (await createDaySequence(manager, day)) daysWithSequence.add(day);
  }
  const [row]: { value: string }[] = await manager.query(`SELECT nextval($1::regclass) AS value`, [ticketNumberSequence(day)]);
  return formatTicketNumber(day, Number(row.value));
}

/**
 * The next 工单编号 of the day drawn in one statement (no transaction) — unless `unless`, a
 * SELECT, finds a row: then none is drawn and the answer is null. For a request whose whole work
 * is "a number if this is not a repeat, then the ticket": one round trip where a transaction
 * took three. Undefined when the day has no sequence yet: the caller then draws with
 * `nextTicketNumber` in a transaction, which creates it.
 */
export async function nextTicketNumberUnless(
  manager: EntityManager,
  receivedAt: Date,
  unless: { sql: string; params: unknown[] } | null,
): Promise<string | null | undefined> {
  const day = shanghaiDay(receivedAt);
  const sequence = ticketNumberSequence(day);
  if (!daysWithSequence.has(day)) {
    // Outside a transaction, a sequence seen is one committed.
    const [{ exists }]: { exists: boolean }[] = await manager.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [sequence]);
    if (!exists) return undefined;
    daysWithSequence.add(day);
  }
  // nextval is volatile: PostgreSQL evaluates it only in the CASE branch taken.
  const [row]: { value: string | null }[] = unless
    ? await manager.query(
        `WITH found AS (${unless.sql})
         SELECT CASE WHEN EXISTS (SELECT 1 FROM found) THEN NULL ELSE nextval($${unless.params.length + 1}::regclass) END AS value`,
        [...unless.params, sequence],
      )
    : await manager.query(`SELECT nextval($1::regclass) AS value`, [sequence]);
  return row.value === null ? null : formatTicketNumber(day, Number(row.value));
}

/** Days whose sequence this process has seen committed (sequences are never dropped). */
const daysWithSequence = new Set<string>();

/**
 * Creates a day's sequence in the caller's transaction unless it exists, once whoever races for
 * it (the lock is held until that transaction ends): it starts after the numbers the day already
 * has (the counter rows of before, tickets received with an earlier number). True when the
 * sequence was already there, committed.
 */
export async function createDaySequence(manager: EntityManager, day: string): Promise<boolean> {
  const sequence = ticketNumberSequence(day);
  const exists = async () =>
    ((await manager.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [sequence])) as { exists: boolean }[])[0].exists;
  if (await exists()) return true;
  // A table lock, not an advisory one: taking it also makes this session read the catalog anew,
  // so a sequence another transaction created meanwhile is seen. Self-exclusive, until COMMIT.
  await manager.query(`LOCK TABLE intake.ticket_number_sequence IN SHARE ROW EXCLUSIVE MODE`);
  if (await exists()) return true;
  const [{ used }]: { used: number }[] = await manager.query(
    `SELECT greatest(
       (SELECT last_value FROM intake.ticket_number_sequence WHERE day = $1),
       (SELECT max(split_part(number, '-', 3)::int) FROM intake.ticket WHERE number LIKE '12333-' || $1 || '-%'),
       0)::int AS used`,
    [day],
  );
  await manager.query(`CREATE SEQUENCE ${sequence} AS bigint START WITH ${used + 1} MINVALUE 1`);
  return false;
}
