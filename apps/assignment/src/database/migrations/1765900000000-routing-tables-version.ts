import { MigrationInterface, QueryRunner } from 'typeorm';

const ROUTING_TABLES = ['routing_rule', 'department', 'municipal_matter'] as const;

/**
 * A version of what routing reads (rules, departments, municipal matters), moved by every
 * statement that writes one of those tables, in that statement's transaction: the routing engine
 * keeps the tables it read under the version and reads one row instead of three tables while it
 * holds. Drawn from a sequence, so a rolled-back change's number is never given to another.
 * The row's lock is taken at the end of each writing statement; the services write these tables
 * with one statement a transaction, so two administrators' changes queue on it, never deadlock.
 */
export class RoutingTablesVersion1765900000000 implements MigrationInterface {
  name = 'RoutingTablesVersion1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE assignment.routing_tables_change`);
    await q.query(
      `CREATE TABLE assignment.routing_tables_version (
         singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
         version bigint NOT NULL)`,
    );
    await q.query(`INSERT INTO assignment.routing_tables_version (version) VALUES (nextval('assignment.routing_tables_change'))`);
    await q.query(
      `CREATE FUNCTION assignment.routing_tables_changed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE assignment.routing_tables_version SET version = nextval('assignment.routing_tables_change');
         RETURN NULL;
       END $$`,
    );
    for (const table of ROUTING_TABLES) {
      await q.query(
        `CREATE TRIGGER ${table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON assignment.${table}
         FOR EACH STATEMENT EXECUTE FUNCTION assignment.routing_tables_changed()`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ROUTING_TABLES) await q.query(`DROP TRIGGER ${table}_changed ON assignment.${table}`);
    await q.query(`DROP FUNCTION assignment.routing_tables_changed()`);
    await q.query(`DROP TABLE assignment.routing_tables_version`);
    await q.query(`DROP SEQUENCE assignment.routing_tables_change`);
  }
}
