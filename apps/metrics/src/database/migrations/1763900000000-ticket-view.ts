import { MigrationInterface, QueryRunner } from 'typeorm';

/** The ticket view (current state, scope of access) replaces the first-assignment facts table. */
export class TicketView1763900000000 implements MigrationInterface {
  name = 'TicketView1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE metrics.ticket_view (
        ticket_id uuid PRIMARY KEY,
        number text,
        status text,
        channel text,
        demand_type text,
        domain text,
        urgency text,
        region_code text,
        title text,
        department_id uuid,
        department_name text,
        first_department_id uuid,
        received_at timestamptz,
        assigned_at timestamptz,
        sign_for_deadline timestamptz,
        reply_deadline timestamptz
      )`);
    await q.query(`INSERT INTO metrics.ticket_view (ticket_id, first_department_id) SELECT ticket_id, first_department_id FROM metrics.ticket_fact`);
    await q.query(`DROP TABLE metrics.ticket_fact`);
    await q.query(`CREATE INDEX ticket_view_department_idx ON metrics.ticket_view (department_id, received_at DESC)`);
    await q.query(`CREATE INDEX ticket_view_region_idx ON metrics.ticket_view (region_code, received_at DESC)`);
    await q.query(`CREATE INDEX ticket_view_received_idx ON metrics.ticket_view (received_at DESC)`);
    await q.query(`CREATE UNIQUE INDEX ticket_view_number_idx ON metrics.ticket_view (number)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE metrics.ticket_fact (ticket_id uuid PRIMARY KEY, first_department_id uuid)`);
    await q.query(`INSERT INTO metrics.ticket_fact SELECT ticket_id, first_department_id FROM metrics.ticket_view`);
    await q.query(`DROP TABLE metrics.ticket_view`);
  }
}
