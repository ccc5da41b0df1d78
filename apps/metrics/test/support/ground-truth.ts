import { employerKey } from '@hotline/contracts';
import { addDays, dayOf, Fact, monthOf, TicketStory } from './workload';

/**
 * 基准真值 — what every projection must show, computed from the generator's own facts (what it
 * decided happened, when, for which department, on time or not) and the definitions of
 * /work/shared/design/DOMAIN.md "Measures", as the product chose to count them:
 *
 * - a measure is counted on the Asia/Shanghai day (and month) of the step it counts;
 * - "received" is counted on the receipt day; a department's receipts are the tickets first
 *   assigned to it, counted on the receipt day (not the assignment day);
 * - "assigned" counts every assignment: the first dispatch and every reassignment (return
 *   accepted or transfer); per region only the first dispatch;
 * - a step that concerns the ticket's department as a whole (closed, call-back, escalation, repeat)
 *   is counted for the department that held the ticket at that moment;
 * - on time: signed by the sign-for deadline in force at signing; closed on time when the last
 *   reply before the close met the reply deadline in force then (recomputed, paused, extended).
 *
 * Nothing here reads an event payload or calls the product's rules: the event is only carried
 * along for publishing.
 */

export type CounterDimension = 'all' | 'department' | 'region' | 'domain' | 'demand-type' | 'channel';

export function counterKey(day: string, dimension: string, key: string, measure: string): string {
  return `${day}|${dimension}|${key}|${measure}`;
}

export function expectedCounters(stories: TicketStory[]): Map<string, number> {
  const counters = new Map<string, number>();
  for (const [key, n] of expectedContributions(stories)) {
    const counter = key.slice(0, key.lastIndexOf('|'));
    counters.set(counter, (counters.get(counter) ?? 0) + n);
  }
  return counters;
}

/** What each ticket adds to each counter (`day|dimension|key|measure|ticketId` → amount). */
export function expectedContributions(stories: TicketStory[]): Map<string, number> {
  const contributions = new Map<string, number>();
  let ticketId = '';
  const add = (at: Date, dimension: CounterDimension, key: string, measure: string) => {
    const k = `${counterKey(dayOf(at), dimension, key, measure)}|${ticketId}`;
    contributions.set(k, (contributions.get(k) ?? 0) + 1);
  };
  const forDepartment = (at: Date, dept: string | null, measure: string) => {
    add(at, 'all', 'all', measure);
    if (dept) add(at, 'department', dept, measure);
  };
  for (const { ticket: t, facts } of stories) {
    ticketId = t.id;
    for (const f of facts) {
      switch (f.kind) {
        case 'received':
          add(f.at, 'all', 'all', 'received');
          add(f.at, 'region', t.regionCode, 'received');
          add(f.at, 'domain', t.domain, 'received');
          add(f.at, 'demand-type', t.demandType, 'received');
          add(f.at, 'channel', t.channel, 'received');
          break;
        case 'dispatched':
          add(f.at, 'all', 'all', 'assigned');
          add(f.at, 'department', f.dept, 'assigned');
          add(f.at, 'region', t.regionCode, 'assigned');
          // The department's receipt, on the day the ticket came in.
          add(t.receivedAt, 'department', f.dept, 'received');
          break;
        case 'moved':
          forDepartment(f.at, f.dept, 'assigned');
          add(f.at, 'all', 'all', 'reassigned');
          break;
        case 'resolved-on-call':
          add(f.at, 'all', 'all', 'resolved-on-call');
          break;
        case 'repeat':
          add(f.at, 'all', 'all', 'repeats');
          add(f.at, 'region', t.regionCode, 'repeats');
          add(f.at, 'domain', t.domain, 'repeats');
          add(f.at, 'channel', f.channel, 'repeats');
          if (f.dept) add(f.at, 'department', f.dept, 'repeats');
          break;
        case 'signed':
          forDepartment(f.at, f.dept, 'accepted');
          break;
        case 'replied':
          forDepartment(f.at, f.dept, 'replied');
          break;
        case 'returned':
          forDepartment(f.at, f.dept, 'returned');
          break;
        case 'extension-asked':
          forDepartment(f.at, f.dept, 'extension-requested');
          break;
        case 'reopened':
          forDepartment(f.at, f.dept, 'reopened');
          break;
        case 'closed':
          forDepartment(f.at, f.dept, 'closed');
          break;
        case 'overdue':
          // A late call-back is the hotline's, counted for it alone.
          if (f.clock === 'callback') add(f.at, 'all', 'all', 'overdue-callback');
          else forDepartment(f.at, f.dept, `overdue-${f.clock}`);
          break;
        case 'escalated':
          forDepartment(f.at, f.dept, `escalated-level-${f.level}`);
          break;
        case 'called-back':
          forDepartment(f.at, f.dept, `callback-${f.satisfaction}`);
          break;
        default:
          break; // warnings, clocks, requests and decisions, notes: timeline only
      }
    }
  }
  return contributions;
}

/**
 * A ticket's events in the order they happened: by the instant each was written (an
 * sla-started is written when supervision gets to its cause, which may be after later steps).
 */
export function expectedTimeline(story: TicketStory): string[] {
  return story.facts
    .map((f, i) => ({ id: f.event.eventId, at: Date.parse(f.event.occurredAt), i }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((e) => e.id);
}

/** The ticket view the projection must hold for one ticket. */
export interface ExpectedView {
  status: string;
  departmentId: string | null;
  firstDepartmentId: string | null;
  repeatCount: number;
  callbackCount: number;
  escalationLevel: number;
  warning: boolean;
  overdue: boolean;
  signForDeadline: number | null;
  replyDeadline: number | null;
  receivedAt: number;
  closedAt: number | null;
  resolvedAt: number | null;
}

/** The status each step leaves the ticket in (ARCHITECTURE.md statuses); steps not listed leave it. */
const STATUS_AFTER: Partial<Record<Fact['kind'], string>> = {
  received: 'received',
  'resolved-on-call': 'resolved-on-call',
  dispatched: 'assigned',
  moved: 'assigned',
  'return-rejected': 'assigned',
  signed: 'accepted',
  replied: 'replied',
  returned: 'returned',
  reopened: 'reopened',
  closed: 'closed',
};

export function expectedView(story: TicketStory): ExpectedView {
  const view: ExpectedView = {
    status: 'received',
    departmentId: null,
    firstDepartmentId: null,
    repeatCount: 0,
    callbackCount: 0,
    escalationLevel: 0,
    warning: false,
    overdue: false,
    signForDeadline: null,
    replyDeadline: null,
    receivedAt: story.ticket.receivedAt.getTime(),
    closedAt: null,
    resolvedAt: null,
  };
  for (const f of story.facts) {
    const status = f.kind === 'reviewed' ? (f.approved ? 'callback' : 'accepted') : STATUS_AFTER[f.kind];
    if (status) view.status = status;
    switch (f.kind) {
      case 'dispatched':
      case 'moved':
        view.departmentId = f.dept;
        view.firstDepartmentId ??= f.dept;
        break;
      case 'resolved-on-call':
        view.resolvedAt = f.at.getTime();
        break;
      case 'repeat':
        view.repeatCount = Math.max(view.repeatCount, f.count);
        break;
      case 'called-back':
        view.callbackCount += 1;
        break;
      case 'escalated':
        view.escalationLevel = Math.max(view.escalationLevel, f.level);
        break;
      // The view's flags and deadlines are the department's clocks'; a call-back clock leaves them.
      case 'warned':
        if (f.clock !== 'callback') view.warning = true;
        break;
      case 'overdue':
        if (f.clock !== 'callback') view.overdue = true;
        break;
      case 'signed':
        // A new clock starts on signing: the flags of the last one no longer apply.
        view.warning = false;
        view.overdue = false;
        break;
      case 'clock-started':
      case 'deadline-moved':
        if (f.clock === 'sign-for') view.signForDeadline = f.deadline.getTime();
        else if (f.clock === 'reply') view.replyDeadline = f.deadline.getTime();
        break;
      case 'extension-decided':
        if (f.deadline) view.replyDeadline = f.deadline.getTime();
        break;
      case 'closed':
        view.closedAt = f.at.getTime();
        break;
      default:
        break;
    }
  }
  return view;
}

export const MEASURE_NAMES = [
  'received',
  'assigned',
  'accepted',
  'signedOnTime',
  'closed',
  'closedOnTime',
  'returned',
  'reopened',
  'repeats',
  'callbacksAnswered',
  'satisfiedCallbacks',
] as const;
export type MeasureName = (typeof MEASURE_NAMES)[number];
export type Measures = Record<MeasureName, number>;

export interface Rates {
  timelySignFor: number | null;
  onTimeCompletion: number | null;
  completion: number | null;
  satisfaction: number | null;
  returnRate: number | null;
  reopenRate: number | null;
  repeatRate: number | null;
}

export interface DepartmentTruth {
  departmentId: string;
  measures: Measures;
  rates: Rates;
  /** Steps attributed by the ticket's department now, not at the time (to explain a mismatch). */
  byCurrentDepartment: Pick<Measures, 'repeats' | 'callbacksAnswered' | 'satisfiedCallbacks'>;
}

function emptyMeasures(): Measures {
  return Object.fromEntries(MEASURE_NAMES.map((m) => [m, 0])) as Measures;
}

const div = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/** DOMAIN.md's rates of a department's month. */
export function ratesOf(m: Measures): Rates {
  return {
    timelySignFor: div(m.signedOnTime, m.assigned),
    onTimeCompletion: div(m.closedOnTime, m.closed),
    completion: div(m.closed, m.received),
    satisfaction: div(m.satisfiedCallbacks, m.callbacksAnswered),
    returnRate: div(m.returned, m.assigned),
    reopenRate: div(m.reopened, m.closed),
    repeatRate: div(m.repeats, m.received),
  };
}

/** Every department's measures of one month (YYYY-MM, Asia/Shanghai). */
export function expectedDepartmentMonth(stories: TicketStory[], month: string): Map<string, DepartmentTruth> {
  const out = new Map<string, DepartmentTruth>();
  const of = (dept: string): DepartmentTruth => {
    let d = out.get(dept);
    if (!d) {
      d = { departmentId: dept, measures: emptyMeasures(), rates: ratesOf(emptyMeasures()), byCurrentDepartment: { repeats: 0, callbacksAnswered: 0, satisfiedCallbacks: 0 } };
      out.set(dept, d);
    }
    return d;
  };
  forEachOccurrence(
    stories,
    month,
    (_story, dept, measure) => (of(dept).measures[measure] += 1),
    (dept, measure) => (of(dept).byCurrentDepartment[measure] += 1),
  );
  for (const d of out.values()) d.rates = ratesOf(d.measures);
  return out;
}

/**
 * 分类统计 — the department table's occurrences regrouped by the ticket's district, domain,
 * demand type and channel, every month: `month|dimension|key|measure` → n (no zeros).
 */
export function expectedBreakdowns(stories: TicketStory[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const month of monthsOf(stories)) {
    forEachOccurrence(stories, month, ({ ticket: t }, _dept, measure) => {
      const keys: [string, string][] = [['region', t.regionCode], ['domain', t.domain], ['demand-type', t.demandType], ['channel', t.channel]];
      for (const [dimension, key] of keys) {
        const k = `${month}|${dimension}|${key}|${measure}`;
        out.set(k, (out.get(k) ?? 0) + 1);
      }
    });
  }
  return out;
}

type HolderMeasure = keyof DepartmentTruth['byCurrentDepartment'];

/**
 * Every occurrence the department table counts in `month`: the ticket, the department it
 * counts for and the measure; `byCurrent` hears the holder steps as the department holding the
 * ticket now would have them (to explain a mismatch).
 */
function forEachOccurrence(
  stories: TicketStory[],
  month: string,
  count: (story: TicketStory, dept: string, measure: MeasureName) => void,
  byCurrent: (dept: string, measure: HolderMeasure) => void = () => undefined,
): void {
  for (const story of stories) {
    const { ticket, facts } = story;
    const first = facts.find((f) => f.kind === 'dispatched');
    if (first && first.kind === 'dispatched' && monthOf(ticket.receivedAt) === month) count(story, first.dept, 'received');
    const current = [...facts].reverse().find((f) => f.kind === 'dispatched' || f.kind === 'moved');
    const currentDept = current && (current.kind === 'dispatched' || current.kind === 'moved') ? current.dept : null;
    const holder = (dept: string | null, measure: HolderMeasure) => {
      if (dept) count(story, dept, measure);
      if (currentDept) byCurrent(currentDept, measure);
    };
    for (const f of facts) {
      if (monthOf(f.at) !== month) continue;
      switch (f.kind) {
        case 'dispatched':
        case 'moved':
          count(story, f.dept, 'assigned');
          break;
        case 'signed':
          count(story, f.dept, 'accepted');
          if (f.onTime) count(story, f.dept, 'signedOnTime');
          break;
        case 'closed':
          if (f.dept) {
            count(story, f.dept, 'closed');
            if (f.onTime) count(story, f.dept, 'closedOnTime');
          }
          break;
        case 'returned':
          count(story, f.dept, 'returned');
          break;
        case 'reopened':
          count(story, f.dept, 'reopened');
          break;
        case 'repeat':
          holder(f.dept, 'repeats');
          break;
        case 'called-back':
          if (f.satisfaction !== 'unreachable') holder(f.dept, 'callbacksAnswered');
          if (f.satisfaction === 'satisfied' || f.satisfaction === 'basically-satisfied') holder(f.dept, 'satisfiedCallbacks');
          break;
        default:
          break;
      }
    }
  }
}

/** The months any step of the workload falls in. */
export function monthsOf(stories: TicketStory[]): string[] {
  const months = new Set<string>();
  for (const s of stories) for (const f of s.facts) months.add(monthOf(f.at));
  return [...months].sort();
}

// ---- the composite score (三率) and the five colours, as DOMAIN.md describes them ------------

export interface Formula {
  weights: { response: number; resolution: number; satisfaction: number };
  reopenPenalty: number;
  /** Best first. */
  bands: { colour: string; min: number }[];
}

/**
 * 100 × the weighted mean of timely sign-for (response), on-time completion (resolution) and
 * satisfaction over the rates there is something to measure for, less the reopen penalty;
 * never below 0, to the hundredth.
 */
export function compositeScore(rates: Rates, formula: Formula): number | null {
  let weighted = 0;
  let weight = 0;
  for (const [rate, w] of [
    [rates.timelySignFor, formula.weights.response],
    [rates.onTimeCompletion, formula.weights.resolution],
    [rates.satisfaction, formula.weights.satisfaction],
  ] as [number | null, number][]) {
    if (rate === null || w <= 0) continue;
    weighted += rate * w;
    weight += w;
  }
  if (weight === 0) return null;
  const score = 100 * (weighted / weight) - formula.reopenPenalty * (rates.reopenRate ?? 0);
  return Math.round(Math.max(0, score) * 100) / 100;
}

export function colourFor(score: number | null, formula: Formula): string | null {
  if (score === null) return null;
  for (const band of [...formula.bands].sort((a, b) => b.min - a.min)) if (score >= band.min) return band.colour;
  return 'red';
}

// ---- hotspots ---------------------------------------------------------------------------

export interface ExpectedHotspot {
  kind: 'region-category' | 'employer';
  day: string;
  regionCode: string | null;
  categoryCode: string | null;
  employerKey: string | null;
  count: number;
  baseline: number;
  /** Demands of the day when it crossed the threshold, demands arriving in order. */
  countAtDetection: number;
}

/**
 * 热点: a day's demands about one matter (a category in a region, or one employer's wage
 * arrears) reaching max(minCount, ⌈ratio × the matter's average day over the baseline days
 * before⌉). Demands are new tickets and repeats (on the repeat's day, about the original's matter).
 */
export function expectedHotspots(stories: TicketStory[], rule = { minCount: 5, ratio: 3, baselineDays: 28 }): ExpectedHotspot[] {
  const perDay = new Map<string, Map<string, number>>(); // matter → day → demands
  const meta = new Map<string, Omit<ExpectedHotspot, 'day' | 'count' | 'baseline' | 'countAtDetection'>>();
  const count = (matter: string, day: string, info: Omit<ExpectedHotspot, 'day' | 'count' | 'baseline' | 'countAtDetection'>) => {
    meta.set(matter, info);
    const days = perDay.get(matter) ?? new Map<string, number>();
    days.set(day, (days.get(day) ?? 0) + 1);
    perDay.set(matter, days);
  };
  for (const { ticket: t, facts } of stories) {
    for (const f of facts) {
      if (f.kind !== 'received' && f.kind !== 'repeat') continue;
      const day = dayOf(f.at);
      if (t.categoryCode) {
        count(`rc/${t.regionCode}/${t.categoryCode}`, day, { kind: 'region-category', regionCode: t.regionCode, categoryCode: t.categoryCode, employerKey: null });
      }
      const ek = employerKey(t.employerName);
      if (ek && t.domain === 'wage-arrears') count(`em/${ek}`, day, { kind: 'employer', regionCode: null, categoryCode: null, employerKey: ek });
    }
  }
  const found: ExpectedHotspot[] = [];
  for (const [matter, days] of perDay) {
    for (const [day, n] of days) {
      let baseline = 0;
      for (let back = 1; back <= rule.baselineDays; back++) baseline += days.get(addDays(day, -back)) ?? 0;
      const threshold = Math.max(rule.minCount, Math.ceil(rule.ratio * (baseline / rule.baselineDays)));
      if (n >= threshold) found.push({ ...(meta.get(matter) as ExpectedHotspot), day, count: n, baseline, countAtDetection: threshold });
    }
  }
  return found.sort((a, b) => a.day.localeCompare(b.day));
}
