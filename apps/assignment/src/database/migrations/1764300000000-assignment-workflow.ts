import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The department's work on a ticket (承办): its state, due times, returns, co-handling
 * departments and the requests (extension, pause) a handler makes.
 */
export class AssignmentWorkflow1764300000000 implements MigrationInterface {
  name = 'AssignmentWorkflow1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE assignment.ticket_assignment ALTER COLUMN department_id DROP NOT NULL`);
    await q.query(`ALTER TABLE assignment.ticket_assignment ALTER COLUMN assigned_at DROP NOT NULL`);
    await q.query(`
      ALTER TABLE assignment.ticket_assignment
        ADD COLUMN title text NOT NULL DEFAULT '',
        ADD COLUMN accepted_at timestamptz,
        ADD COLUMN replied_at timestamptz,
        ADD COLUMN return_count int NOT NULL DEFAULT 0,
        ADD COLUMN reopen_count int NOT NULL DEFAULT 0,
        ADD COLUMN returned_by uuid,
        ADD COLUMN return_reason text,
        ADD COLUMN review_reason text,
        ADD COLUMN suggested_department_id uuid,
        ADD COLUMN sign_for_deadline timestamptz,
        ADD COLUMN reply_deadline timestamptz,
        ADD COLUMN correlation_id uuid,
        ADD COLUMN last_event_id uuid`);
    await q.query(`CREATE INDEX ticket_assignment_status_idx ON assignment.ticket_assignment (status)`);
    await q.query(`
      CREATE TABLE assignment.co_handler (
        ticket_id uuid NOT NULL REFERENCES assignment.ticket_assignment (ticket_id),
        department_id uuid NOT NULL REFERENCES assignment.department (id),
        note text,
        noted_at timestamptz,
        PRIMARY KEY (ticket_id, department_id)
      )`);
    await q.query(`CREATE INDEX co_handler_department_idx ON assignment.co_handler (department_id)`);
    await q.query(`
      CREATE TABLE assignment.handling_request (
        id uuid PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES assignment.ticket_assignment (ticket_id),
        kind text NOT NULL CHECK (kind IN ('extension', 'pause')),
        department_id uuid NOT NULL,
        working_days int,
        reason text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied')),
        requested_at timestamptz NOT NULL,
        decided_at timestamptz
      )`);
    // At most one pending request of each kind per ticket.
    await q.query(
      `CREATE UNIQUE INDEX handling_request_pending_uq ON assignment.handling_request (ticket_id, kind) WHERE status = 'pending'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE assignment.handling_request`);
    await q.query(`DROP TABLE assignment.co_handler`);
    await q.query(`DROP INDEX assignment.ticket_assignment_status_idx`);
    await q.query(`
      ALTER TABLE assignment.ticket_assignment
        DROP COLUMN title, DROP COLUMN accepted_at, DROP COLUMN replied_at, DROP COLUMN return_count,
        DROP COLUMN reopen_count, DROP COLUMN returned_by, DROP COLUMN return_reason, DROP COLUMN review_reason,
        DROP COLUMN suggested_department_id, DROP COLUMN sign_for_deadline, DROP COLUMN reply_deadline,
        DROP COLUMN correlation_id, DROP COLUMN last_event_id`);
  }
}
