import { MigrationInterface, QueryRunner } from 'typeorm';
import { BREAKDOWN_COLUMNS, BREAKDOWN_DIMENSIONS } from '../../breakdown/breakdown-dimensions';
import { recountDepartmentMeasures } from '../../department-measures/department-measures';

/**
 * 分类统计 — the department table's measures by district, domain, demand type and channel
 * (`breakdown_month`), so a district's on-time and satisfaction rates are as exact as a
 * department's. Each counted occurrence keeps the ticket's attributes it was counted under, so
 * a receipt that arrives after the ticket's other events moves its counts to the right rows.
 *
 * A database whose department table was counted (DepartmentMonths1765600000000 of an earlier
 * release) gets the attributes and the sums in two statements; otherwise the table is counted
 * from the timeline as it stands (nothing, on a new database).
 */
export class BreakdownMonths1765800000000 implements MigrationInterface {
  name = 'BreakdownMonths1765800000000';

  async up(q: QueryRunner): Promise<void> {
    const columns = BREAKDOWN_DIMENSIONS.map((d) => BREAKDOWN_COLUMNS[d]);
    await q.query(`ALTER TABLE metrics.department_measure_entry ${columns.map((c) => `ADD COLUMN ${c} text`).join(', ')}`);
    await q.query(`
      CREATE TABLE metrics.breakdown_month (
        month text NOT NULL,
        dimension text NOT NULL,
        key text NOT NULL,
        measure text NOT NULL,
        n int NOT NULL,
        PRIMARY KEY (month, dimension, key, measure)
      )`);
    // The tickets behind a breakdown figure: a month's entries of one measure, then the attribute.
    await q.query(`CREATE INDEX department_measure_entry_breakdown ON metrics.department_measure_entry (month, measure)`);
    const [{ counted }]: { counted: boolean }[] = await q.query(`SELECT EXISTS (SELECT 1 FROM metrics.department_measure_entry) AS counted`);
    if (!counted) {
      await recountDepartmentMeasures(q, { where: 'true', params: [] });
      return;
    }
    await q.query(
      `UPDATE metrics.department_measure_entry e SET ${columns.map((c) => `${c} = v.${c}`).join(', ')}
         FROM metrics.ticket_view v WHERE v.ticket_id = e.ticket_id`,
    );
    await q.query(
      `INSERT INTO metrics.breakdown_month (month, dimension, key, measure, n)
       SELECT e.month, x.dimension, x.key, e.measure, sum(e.n)
         FROM metrics.department_measure_entry e
        CROSS JOIN LATERAL (VALUES ${BREAKDOWN_DIMENSIONS.map((d) => `('${d}', e.${BREAKDOWN_COLUMNS[d]})`).join(', ')}) x(dimension, key)
        WHERE x.key IS NOT NULL
        GROUP BY 1, 2, 3, 4 HAVING sum(e.n) <> 0`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE metrics.breakdown_month`);
    await q.query(`DROP INDEX metrics.department_measure_entry_breakdown`);
    await q.query(
      `ALTER TABLE metrics.department_measure_entry ${BREAKDOWN_DIMENSIONS.map((d) => `DROP COLUMN ${BREAKDOWN_COLUMNS[d]}`).join(', ')}`,
    );
  }
}
