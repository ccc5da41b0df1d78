import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The department table kept as a projection: each ticket's counted occurrences
 * (`department_measure_entry`, what a drill-down lists) and their sums per month, department and
 * measure (`department_month`, what the dashboard reads), instead of counting a month's events
 * on every request — on a year of five million tickets that took 25 s. Department names get a
 * table of their own (they were looked up over every ticket), and open tickets an index of
 * their own (the overview counted them over every ticket). Filled from the timeline as it stands
 * by BreakdownMonths1765800000000.
 */
export class DepartmentMonths1765600000000 implements MigrationInterface {
  name = 'DepartmentMonths1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE metrics.department_measure_entry (
        ticket_id uuid NOT NULL,
        month text NOT NULL,
        department_id text NOT NULL,
        measure text NOT NULL,
        n int NOT NULL,
        PRIMARY KEY (ticket_id, month, department_id, measure)
      )`);
    await q.query(`CREATE INDEX department_measure_entry_number ON metrics.department_measure_entry (month, department_id, measure)`);
    await q.query(`
      CREATE TABLE metrics.department_month (
        month text NOT NULL,
        department_id text NOT NULL,
        measure text NOT NULL,
        n int NOT NULL,
        PRIMARY KEY (month, department_id, measure)
      )`);
    await q.query(`CREATE TABLE metrics.department_name (department_id text PRIMARY KEY, name text NOT NULL)`);
    await q.query(
      `CREATE INDEX ticket_view_open_idx ON metrics.ticket_view (received_at) INCLUDE (overdue, warning, escalation_level)
        WHERE status NOT IN ('closed', 'resolved-on-call')`,
    );
    // Counted from the timeline by BreakdownMonths1765800000000: the recount of today's code
    // also writes the columns and the table that migration adds.
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX metrics.ticket_view_open_idx`);
    await q.query(`DROP TABLE metrics.department_name`);
    await q.query(`DROP TABLE metrics.department_month`);
    await q.query(`DROP TABLE metrics.department_measure_entry`);
  }
}
