import { ConflictException, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DepartmentMeasures, departmentMeasures, departmentNames, DepartmentRates, monthBounds, ratesOf } from '../department-measures/department-measures';
import { Colour, colourOf, ScoringFormula, scoreOf } from './scoring';

export interface DepartmentRow extends DepartmentMeasures {
  departmentName: string | null;
  rates: DepartmentRates;
  score: number | null;
  colour: Colour | null;
  rank: number | null;
}

export interface Grading {
  month: string;
  published: boolean;
  formulaVersion: number;
  departments: DepartmentRow[];
}

/** 月度考核 — the department table, its composite score and colour, and the published ranking. */
@Injectable()
export class GradingService {
  constructor(private readonly dataSource: DataSource) {}

  async currentFormula(manager: EntityManager = this.dataSource.manager): Promise<ScoringFormula> {
    const [row] = await manager.query(`SELECT * FROM metrics.scoring_formula ORDER BY version DESC LIMIT 1`);
    return toFormula(row);
  }

  /** The month computed now with the current formula (live). */
  async live(month: string, manager: EntityManager = this.dataSource.manager): Promise<Grading> {
    const formula = await this.currentFormula(manager);
    const names = await departmentNames(manager);
    const rows = (await departmentMeasures(manager, month)).map((m) => {
      const rates = ratesOf(m);
      const score = scoreOf(rates, formula);
      return { ...m, departmentName: names.get(m.departmentId) ?? null, rates, score, colour: colourOf(score, formula.bands), rank: null };
    });
    return { month, published: false, formulaVersion: formula.version, departments: ranked(rows) };
  }

  /** The published grading of the month if there is one (it keeps its formula), else the live one. */
  async grading(month: string): Promise<Grading> {
    const published: { department_id: string; formula_version: number; score: string | null; colour: Colour | null; rank: number | null; measures: DepartmentMeasures & { rates: DepartmentRates; departmentName: string | null } }[] =
      await this.dataSource.query(`SELECT * FROM metrics.monthly_grading WHERE month = $1 ORDER BY rank NULLS LAST, department_id`, [month]);
    if (!published.length) return this.live(month);
    return {
      month,
      published: true,
      formulaVersion: published[0].formula_version,
      departments: published.map((p) => ({
        ...p.measures,
        score: p.score === null ? null : Number(p.score),
        colour: p.colour,
        rank: p.rank,
      })),
    };
  }

  /** Publishes the month: the grading as computed now, with the formula version it used, kept for good. */
  async publish(month: string, by: string): Promise<Grading> {
    return this.dataSource.transaction(async (manager) => {
      const [{ n }] = await manager.query(`SELECT count(*)::int AS n FROM metrics.monthly_grading WHERE month = $1`, [month]);
      if (n > 0) throw new ConflictException({ statusCode: 409, error: 'Conflict', message: [`month: ${month} is already published`] });
      const grading = await this.live(month, manager);
      const at = new Date();
      for (const d of grading.departments) {
        const { score, colour, rank, ...measures } = d;
        await manager.query(
          `INSERT INTO metrics.monthly_grading (month, department_id, formula_version, score, colour, rank, measures, published_by, published_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [month, d.departmentId, grading.formulaVersion, score, colour, rank, JSON.stringify(measures), by, at],
        );
      }
      return { ...grading, published: true };
    });
  }

  /**
   * 好评榜/差评榜 — the best and the worst of the month by score; the bad list also names every
   * department with a ticket put under 督办 for repeated demands that month.
   */
  async lists(month: string, size: number) {
    const { departments, formulaVersion } = await this.grading(month);
    const scored = departments.filter((d) => d.score !== null);
    const good = scored.slice(0, size);
    const worst = scored.slice(-size).reverse();
    const [from, to] = monthBounds(month);
    const repeats: { dept: string; n: number }[] = await this.dataSource.query(
      `SELECT payload->>'departmentId' AS dept, count(*)::int AS n FROM metrics.timeline_entry
        WHERE type = 'ticket.escalated' AND payload->>'reason' = 'repeats' AND occurred_at >= $1 AND occurred_at < $2
          AND payload ? 'departmentId'
        GROUP BY 1`,
      [from, to],
    );
    const byId = new Map(departments.map((d) => [d.departmentId, d]));
    const bad = [
      ...worst.map((d) => ({ ...d, reasons: ['score'] as string[] })),
      ...repeats.filter((r) => !worst.some((w) => w.departmentId === r.dept)).map((r) => ({ ...(byId.get(r.dept) ?? { departmentId: r.dept }), reasons: [] as string[] })),
    ];
    for (const entry of bad) {
      const r = repeats.find((x) => x.dept === entry.departmentId);
      if (r) entry.reasons.push(`repeats-supervised:${r.n}`);
    }
    return { month, formulaVersion, good, bad };
  }

  async publishFormula(formula: Omit<ScoringFormula, 'version'>, by: string, note: string): Promise<ScoringFormula> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('LOCK TABLE metrics.scoring_formula IN EXCLUSIVE MODE');
      const [{ v }] = await manager.query(`SELECT max(version) AS v FROM metrics.scoring_formula`);
      const version = Number(v) + 1;
      await manager.query(
        `INSERT INTO metrics.scoring_formula (version, weights, reopen_penalty, bands, published_by, note) VALUES ($1, $2, $3, $4, $5, $6)`,
        [version, JSON.stringify(formula.weights), formula.reopenPenalty, JSON.stringify(formula.bands), by, note],
      );
      return { version, ...formula };
    });
  }
}

function toFormula(row: { version: number; weights: ScoringFormula['weights']; reopen_penalty: string; bands: ScoringFormula['bands'] }): ScoringFormula {
  return { version: row.version, weights: row.weights, reopenPenalty: Number(row.reopen_penalty), bands: row.bands };
}

/** Rank by score, best first; departments without a score come last, unranked. */
function ranked(rows: DepartmentRow[]): DepartmentRow[] {
  const scored = rows.filter((r) => r.score !== null).sort((a, b) => (b.score as number) - (a.score as number));
  scored.forEach((r, i) => (r.rank = i + 1));
  return [...scored, ...rows.filter((r) => r.score === null)];
}
