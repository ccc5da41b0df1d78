import { compositeScore, colourFor, DepartmentTruth, ExpectedView, expectedTimeline, Formula, MEASURE_NAMES, MeasureName, Measures, Rates, ratesOf } from './ground-truth';
import { ViewRow } from './metrics-harness';
import { TicketStory } from './workload';

/** A discrepancy between the truth and the projection, grouped under `group` in summaries. */
export interface Discrepancy {
  group: string;
  line: string;
}

/** Lines for a failing expectation: the count per group, then the first examples of each. */
export function summarise(discrepancies: Discrepancy[], examplesPerGroup = 4): string[] {
  const groups = new Map<string, string[]>();
  for (const d of discrepancies) groups.set(d.group, [...(groups.get(d.group) ?? []), d.line]);
  const out: string[] = [];
  for (const [group, lines] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
    out.push(`${group}: ${lines.length} discrepancies`);
    for (const line of lines.slice(0, examplesPerGroup)) out.push(`  ${line}`);
  }
  return out;
}

/** Every row of the table against the expected map: none missing, none extra, every value equal. */
export function compareCounters(expected: Map<string, number>, actual: Map<string, number>, table = 'daily_counter'): Discrepancy[] {
  const out: Discrepancy[] = [];
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const want = expected.get(key) ?? 0;
    const got = actual.get(key) ?? 0;
    if (want === got) continue;
    const [day, dimension, , measure] = key.split('|');
    out.push({
      group: `${table} ${dimension} × ${measure}`,
      line: `${key}: expected ${want}, projected ${actual.has(key) ? got : 'no row'} (${day})`,
    });
  }
  return out;
}

const VIEW_FIELDS: [keyof ExpectedView, keyof ViewRow][] = [
  ['status', 'status'],
  ['departmentId', 'department_id'],
  ['firstDepartmentId', 'first_department_id'],
  ['repeatCount', 'repeat_count'],
  ['callbackCount', 'callback_count'],
  ['escalationLevel', 'escalation_level'],
  ['warning', 'warning'],
  ['overdue', 'overdue'],
  ['signForDeadline', 'sign_for_deadline'],
  ['replyDeadline', 'reply_deadline'],
  ['receivedAt', 'received_at'],
  ['closedAt', 'closed_at'],
  ['resolvedAt', 'resolved_at'],
];

function plain(value: unknown): unknown {
  return value instanceof Date ? value.getTime() : value;
}

export function compareViews(stories: TicketStory[], expected: Map<string, ExpectedView>, actual: Map<string, ViewRow>): Discrepancy[] {
  const out: Discrepancy[] = [];
  for (const { ticket } of stories) {
    const row = actual.get(ticket.id);
    const want = expected.get(ticket.id) as ExpectedView;
    if (!row) {
      out.push({ group: 'ticket_view missing', line: `${ticket.number}: no row` });
      continue;
    }
    for (const [field, column] of VIEW_FIELDS) {
      const got = plain(row[column]);
      if (got !== want[field]) {
        const show = (v: unknown) => (typeof v === 'number' && v > 1e12 ? new Date(v).toISOString() : JSON.stringify(v));
        out.push({ group: `ticket_view.${column}`, line: `${ticket.number} (${ticket.id}): expected ${show(want[field])}, projected ${show(got)}` });
      }
    }
  }
  const known = new Set(stories.map((s) => s.ticket.id));
  for (const id of actual.keys()) if (!known.has(id)) out.push({ group: 'ticket_view extra', line: `${id}: a ticket nobody created` });
  return out;
}

/** Every ticket's timeline holds exactly its events, in the order they happened. */
export function compareTimelines(stories: TicketStory[], actual: Map<string, string[]>): Discrepancy[] {
  const out: Discrepancy[] = [];
  for (const story of stories) {
    const { ticket } = story;
    const want = expectedTimeline(story);
    const got = actual.get(ticket.id) ?? [];
    if (want.length !== got.length) {
      out.push({ group: 'timeline size', line: `${ticket.number}: expected ${want.length} entries, found ${got.length}` });
    } else if (want.some((id, i) => got[i] !== id)) {
      out.push({ group: 'timeline order', line: `${ticket.number}: entries differ or are out of order` });
    }
  }
  const known = new Set(stories.map((s) => s.ticket.id));
  for (const id of actual.keys()) if (!known.has(id)) out.push({ group: 'timeline extra', line: `${id}: entries of an unknown ticket` });
  return out;
}

/** One department row of GET /api/metrics/departments. */
export interface DepartmentRowAnswer {
  departmentId: string;
  departmentName: string | null;
  rates: Rates;
  score: number | null;
  colour: string | null;
  rank: number | null;
  [measure: string]: unknown;
}

/** The measures counted from a step's own department, and the rates made of them alone. */
export const STEP_MEASURES: MeasureName[] = ['received', 'assigned', 'accepted', 'signedOnTime', 'closed', 'closedOnTime', 'returned', 'reopened'];
export const STEP_RATES: (keyof Rates)[] = ['timelySignFor', 'onTimeCompletion', 'completion', 'returnRate', 'reopenRate'];
/** The measures of steps about the ticket as a whole, counted for the department that held it. */
export const HOLDER_MEASURES: MeasureName[] = ['repeats', 'callbacksAnswered', 'satisfiedCallbacks'];
export const HOLDER_RATES: (keyof Rates)[] = ['satisfaction', 'repeatRate'];

export interface TableCheck {
  measures: MeasureName[];
  rates: (keyof Rates)[];
  /** Also the composite score and colour under this formula, and the department's name. */
  formula?: Formula;
}

/**
 * A month's department table against the truth: every department with anything to count, and
 * for each the chosen measures and rates exactly (and score, colour and name when asked).
 */
export function compareDepartmentTable(
  month: string,
  truth: Map<string, DepartmentTruth>,
  rows: DepartmentRowAnswer[],
  names: Map<string, string>,
  check: TableCheck,
): Discrepancy[] {
  const out: Discrepancy[] = [];
  const byId = new Map(rows.map((r) => [r.departmentId, r]));
  for (const id of new Set([...truth.keys(), ...byId.keys()])) {
    const want = truth.get(id);
    const row = byId.get(id);
    const name = names.get(id) ?? id;
    if (!row) {
      if (want && check.measures.some((m) => want.measures[m] !== 0)) {
        out.push({ group: `${month} department missing`, line: `${name}: expected ${JSON.stringify(want.measures)}` });
      }
      continue;
    }
    for (const m of check.measures) {
      const expected = want?.measures[m] ?? 0;
      if (row[m] === expected) continue;
      const now = want && m in want.byCurrentDepartment ? want.byCurrentDepartment[m as keyof DepartmentTruth['byCurrentDepartment']] : null;
      const hint = now !== null && now === row[m] ? ' (= the count by the department holding the ticket now, not then)' : '';
      out.push({ group: `${month} ${m}`, line: `${name}: expected ${expected}, got ${String(row[m])}${hint}` });
    }
    const rates = want?.rates ?? ratesOf(Object.fromEntries(MEASURE_NAMES.map((m) => [m, 0])) as Measures);
    for (const rate of check.rates) {
      if (row.rates[rate] !== rates[rate]) out.push({ group: `${month} rate ${rate}`, line: `${name}: expected ${rates[rate]}, got ${row.rates[rate]}` });
    }
    if (check.formula) {
      if (row.departmentName !== (names.get(id) ?? null)) {
        out.push({ group: `${month} departmentName`, line: `${id}: expected ${names.get(id)}, got ${row.departmentName}` });
      }
      const score = compositeScore(rates, check.formula);
      if (row.score !== score) out.push({ group: `${month} score`, line: `${name}: expected ${score}, got ${row.score}` });
      const colour = colourFor(score, check.formula);
      if (row.colour !== colour) out.push({ group: `${month} colour`, line: `${name}: expected ${colour}, got ${row.colour}` });
    }
  }
  return out;
}

/** Ranks 1…n over the scored departments, best score first; the unscored unranked, last. */
export function rankProblems(rows: DepartmentRowAnswer[]): string[] {
  const problems: string[] = [];
  const scored = rows.filter((r) => r.score !== null);
  scored.forEach((r, i) => {
    if (r.rank !== i + 1) problems.push(`${r.departmentName}: rank ${r.rank} at position ${i + 1}`);
    if (i > 0 && (scored[i - 1].score as number) < (r.score as number)) problems.push(`${r.departmentName}: scored above the one before it`);
  });
  for (const r of rows.slice(scored.length)) if (r.score !== null || r.rank !== null) problems.push(`${r.departmentName}: unscored rows come last, unranked`);
  return problems;
}
