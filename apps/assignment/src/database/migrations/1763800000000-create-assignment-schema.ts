import { createMessagingTables, dropMessagingTables } from '@hotline/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { departmentCatalog } from '@hotline/contracts';

export class CreateAssignmentSchema1763800000000 implements MigrationInterface {
  name = 'CreateAssignmentSchema1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE assignment.department (
        id uuid PRIMARY KEY,
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('region-bureau', 'municipal-office')),
        region_code text,
        active boolean NOT NULL DEFAULT true,
        version int NOT NULL DEFAULT 1
      )`);
    await q.query(`
      CREATE TABLE assignment.ticket_assignment (
        ticket_id uuid PRIMARY KEY,
        number text NOT NULL,
        department_id uuid NOT NULL REFERENCES assignment.department (id),
        status text NOT NULL,
        region_code text NOT NULL,
        domain text NOT NULL,
        demand_type text NOT NULL,
        urgency text NOT NULL,
        received_at timestamptz NOT NULL,
        assigned_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ticket_assignment_department_idx ON assignment.ticket_assignment (department_id, status)`);
    // Reference data every installation needs (not demo data): the 41 bureaus and the offices.
    for (const d of departmentCatalog()) {
      await q.query(
        `INSERT INTO assignment.department (id, code, name, kind, region_code) VALUES ($1, $2, $3, $4, $5)`,
        [d.id, d.code, d.name, d.kind, d.regionCode],
      );
    }
    await createMessagingTables(q, 'assignment');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropMessagingTables(q, 'assignment');
    await q.query(`DROP TABLE assignment.ticket_assignment`);
    await q.query(`DROP TABLE assignment.department`);
  }
}
