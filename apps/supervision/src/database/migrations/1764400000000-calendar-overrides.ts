import { MigrationInterface, QueryRunner } from 'typeorm';

/** 日历调整 — administrators' overrides of the official calendar, with their version history. */
export class CalendarOverrides1764400000000 implements MigrationInterface {
  name = 'CalendarOverrides1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE supervision.calendar_override (
        date date PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('holiday', 'make-up-workday')),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
        version int NOT NULL CHECK (version >= 1),
        active boolean NOT NULL,
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE supervision.calendar_override_version (
        date date NOT NULL REFERENCES supervision.calendar_override (date),
        version int NOT NULL CHECK (version >= 1),
        change text NOT NULL CHECK (change IN ('created', 'updated', 'deactivated', 'reactivated')),
        kind text NOT NULL,
        name text NOT NULL,
        reason text NOT NULL,
        active boolean NOT NULL,
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL,
        PRIMARY KEY (date, version)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE supervision.calendar_override_version`);
    await q.query(`DROP TABLE supervision.calendar_override`);
  }
}
