import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The warning/overdue flags are judged by time: a signing (a new clock) clears only the flags
 * raised before it, whichever of the two events is projected first. The times are taken from the
 * timeline for the views already there.
 */
export class TicketViewFlagTimes1765500000000 implements MigrationInterface {
  name = 'TicketViewFlagTimes1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE metrics.ticket_view
        ADD COLUMN warning_at timestamptz,
        ADD COLUMN overdue_at timestamptz,
        ADD COLUMN flags_reset_at timestamptz`);
    await q.query(`
      UPDATE metrics.ticket_view v
         SET warning_at = t.warning_at, overdue_at = t.overdue_at, flags_reset_at = t.reset_at
        FROM (SELECT ticket_id,
                     max(occurred_at) FILTER (WHERE type = 'ticket.sla-warning') AS warning_at,
                     max(occurred_at) FILTER (WHERE type = 'ticket.overdue') AS overdue_at,
                     max(occurred_at) FILTER (WHERE type = 'ticket.accepted') AS reset_at
                FROM metrics.timeline_entry
               WHERE type IN ('ticket.sla-warning', 'ticket.overdue', 'ticket.accepted')
               GROUP BY ticket_id) t
       WHERE v.ticket_id = t.ticket_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE metrics.ticket_view DROP COLUMN warning_at, DROP COLUMN overdue_at, DROP COLUMN flags_reset_at`);
  }
}
