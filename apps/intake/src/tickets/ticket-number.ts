import { EntityManager } from 'typeorm';

/** Local (Asia/Shanghai) calendar day of an instant as YYYYMMDD. */
export function shanghaiDay(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

export function formatTicketNumber(day: string, sequence: number): string {
  return `12333-${day}-${String(sequence).padStart(6, '0')}`;
}

/**
 * Draws the next 工单编号 of the day. Must be called inside the caller's transaction: the
 * counter row stays locked until commit, so numbers are gap-free and never reused.
 */
export async function nextTicketNumber(manager: EntityManager, receivedAt: Date): Promise<string> {
  const day = shanghaiDay(receivedAt);
  const [row] = await manager.query(
    `INSERT INTO intake.ticket_number_sequence AS s (day, last_value) VALUES ($1, 1)
     ON CONFLICT (day) DO UPDATE SET last_value = s.last_value + 1
     RETURNING last_value`,
    [day],
  );
  return formatTicketNumber(day, row.last_value);
}
