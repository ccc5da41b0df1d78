import { MigrationInterface, QueryRunner } from 'typeorm';
import { DEFAULT_FORMULA } from '../../grading/scoring';

/** The scoring formula as versioned data, and the published monthly gradings (五色图) that keep theirs. */
export class Grading1764800000000 implements MigrationInterface {
  name = 'Grading1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE metrics.scoring_formula (
        version int PRIMARY KEY,
        weights jsonb NOT NULL,
        reopen_penalty numeric NOT NULL,
        bands jsonb NOT NULL,
        published_by text NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        note text NOT NULL
      )`);
    await q.query(
      `INSERT INTO metrics.scoring_formula (version, weights, reopen_penalty, bands, published_by, note)
       VALUES (1, $1, $2, $3, 'migration', '三率默认权重')`,
      [JSON.stringify(DEFAULT_FORMULA.weights), DEFAULT_FORMULA.reopenPenalty, JSON.stringify(DEFAULT_FORMULA.bands)],
    );
    await q.query(`
      CREATE TABLE metrics.monthly_grading (
        month text NOT NULL,
        department_id uuid NOT NULL,
        formula_version int NOT NULL REFERENCES metrics.scoring_formula (version),
        score numeric,
        colour text,
        rank int,
        measures jsonb NOT NULL,
        published_by text NOT NULL,
        published_at timestamptz NOT NULL,
        PRIMARY KEY (month, department_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE metrics.monthly_grading`);
    await q.query(`DROP TABLE metrics.scoring_formula`);
  }
}
