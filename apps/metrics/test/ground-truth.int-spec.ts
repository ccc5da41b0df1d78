import { EventEnvelope, findRegion } from '@hotline/contracts';
import { DEFAULT_FORMULA } from '../src/grading/scoring';
import {
  compareCounters,
  compareDepartmentTable,
  compareTimelines,
  compareViews,
  DepartmentRowAnswer,
  Discrepancy,
  HOLDER_MEASURES,
  HOLDER_RATES,
  rankProblems,
  STEP_MEASURES,
  STEP_RATES,
  summarise,
  TableCheck,
} from './support/compare';
import {
  colourFor,
  compositeScore,
  DepartmentTruth,
  expectedBreakdowns,
  expectedContributions,
  expectedCounters,
  expectedDepartmentMonth,
  expectedHotspots,
  expectedTimeline,
  ExpectedView,
  expectedView,
  Formula,
  MEASURE_NAMES,
  Measures,
  monthsOf,
  Rates,
  ratesOf,
} from './support/ground-truth';
import { HttpAnswer, MetricsHarness, ViewRow } from './support/metrics-harness';
import { ReplaySummary } from '../src/replay/replay-projections';
import { Prng, workloadSeed } from './support/prng';
import { generateWorkload, monthOf, TicketStory, Workload } from './support/workload';

/**
 * Issue #7, "How we will check": a generated workload of thousands of tickets through every path,
 * with the ground truth computed independently from the generator's own model of each ticket;
 * every counter and rate must match exactly, before and after a replay; a past month's grading
 * stays as published after a formula change; a spike injected into one region is found as a
 * hotspot.
 *
 * The real metrics service runs in this process on its own database and Kafka namespace; the
 * workload is published as the producing services would, keyed by ticket, each ticket's events
 * in causal order (waves: every ticket's next run of events on one topic, sent once the previous
 * wave is projected). The seed is printed; WORKLOAD_SEED reproduces a run, WORKLOAD_TICKETS
 * resizes it.
 */

const TICKETS = Number(process.env.WORKLOAD_TICKETS ?? 2_000);
const DUPLICATES = 60;
/** A past month (the history's first, the quickest to compute: see the report on department-measures.ts). */
const PUBLISHED_MONTH = '2026-09';
const NEW_FORMULA: Formula & { note: string } = {
  weights: { response: 0.2, resolution: 0.3, satisfaction: 0.5 },
  reopenPenalty: 50,
  bands: [
    { colour: 'dark-green', min: 97 },
    { colour: 'light-green', min: 92 },
    { colour: 'yellow', min: 85 },
    { colour: 'orange', min: 75 },
  ],
  note: '验收测试：满意度权重上调',
};

interface Projection {
  counters: Map<string, number>;
  contributions: Map<string, number>;
  views: Map<string, ViewRow>;
  timelines: Map<string, string[]>;
  /** GET /api/metrics/departments per month. */
  departments: Map<string, { formulaVersion: number; items: DepartmentRowAnswer[] }>;
  /** metrics.breakdown_month: `month|dimension|key|measure` → n. */
  breakdowns: Map<string, number>;
}

describe('metrics against an independent ground truth (issue #7)', () => {
  const harness = new MetricsHarness();
  let workload: Workload;
  let distinct = 0;
  let months: string[] = [];
  const truth = {
    counters: new Map<string, number>(),
    contributions: new Map<string, number>(),
    views: new Map<string, ExpectedView>(),
    departments: new Map<string, Map<string, DepartmentTruth>>(),
    breakdowns: new Map<string, number>(),
  };
  const names = new Map<string, string>();
  let first: Projection;
  const timings: Record<string, number> = {};

  async function projection(): Promise<Projection> {
    const departments = new Map<string, { formulaVersion: number; items: DepartmentRowAnswer[] }>();
    const started = Date.now();
    const answers = await Promise.all(months.map((month) => harness.call('GET', `/api/metrics/departments?month=${month}`, 'leader')));
    timings[`GET departments × ${months.length}`] = Date.now() - started;
    answers.forEach((answer, i) => {
      expect(answer.status).toBe(200);
      departments.set(months[i], { formulaVersion: answer.body.formulaVersion, items: answer.body.items });
    });
    return {
      counters: await harness.counters(),
      contributions: await harness.contributions(),
      views: await harness.views(),
      timelines: await harness.timelines(),
      departments,
      breakdowns: await harness.breakdownMonths(),
    };
  }

  /**
   * Publishes stories wave by wave: each wave carries every ticket's next run of consecutive
   * events on one topic and waits until it is projected, so no ticket's events are read out of
   * their causal order across the three topics (as when the services run live).
   */
  async function publishInWaves(stories: TicketStory[]): Promise<number> {
    const runs = stories.map((s) => {
      const out: EventEnvelope[][] = [];
      let producer = '';
      for (const f of s.facts) {
        if (f.event.producer !== producer) out.push([]);
        producer = f.event.producer;
        out[out.length - 1].push(f.event);
      }
      return out;
    });
    const waves = Math.max(0, ...runs.map((r) => r.length));
    for (let k = 0; k < waves; k++) {
      const events = runs.flatMap((r) => r[k] ?? []);
      await harness.publish(events);
      distinct += events.length;
      await harness.waitProjected(distinct);
    }
    return waves;
  }

  function expectNone(what: string, discrepancies: Discrepancy[]): void {
    const lines = summarise(discrepancies);
    if (lines.length) console.warn(`${what} (seed ${workload.seed}):\n${lines.join('\n')}`);
    expect(lines).toEqual([]);
  }

  function tables(p: Projection, check: TableCheck): Discrepancy[] {
    return months.flatMap((month) =>
      compareDepartmentTable(month, truth.departments.get(month) as Map<string, DepartmentTruth>, p.departments.get(month)?.items ?? [], names, check),
    );
  }

  const spikeWindow = () => `/api/metrics/hotspots?from=${months[0]}-01&to=${workload.today}`;

  beforeAll(async () => {
    const started = Date.now();
    const seed = workloadSeed();
    workload = generateWorkload(seed, TICKETS, new Date());
    for (const d of workload.departments.values()) names.set(d.id, d.name);
    truth.counters = expectedCounters(workload.stories);
    truth.contributions = expectedContributions(workload.stories);
    for (const s of workload.stories) truth.views.set(s.ticket.id, expectedView(s));
    months = monthsOf(workload.stories);
    for (const month of months) truth.departments.set(month, expectedDepartmentMonth(workload.stories, month));
    truth.breakdowns = expectedBreakdowns(workload.stories);
    const events = workload.stories.reduce((n, s) => n + s.facts.length, 0);
    console.log(
      `ground truth: seed ${seed} (WORKLOAD_SEED=${seed} reproduces it), ${workload.stories.length} tickets, ${events} events, ` +
        `months ${months.join(', ')}, today ${workload.today}; generated in ${Date.now() - started} ms`,
    );

    await harness.setUp();
    await harness.startService();
    const publishing = Date.now();
    const waves =
      (await publishInWaves(workload.stories.filter((s) => s.phase === 'history'))) +
      (await publishInWaves(workload.stories.filter((s) => s.phase === 'baseline'))) +
      (await publishInWaves(workload.stories.filter((s) => s.phase === 'today')));
    // Redeliveries: events already applied, sent again long after (idempotence).
    const prng = new Prng(seed ^ 0x5eed);
    const all = workload.stories.flatMap((s) => s.facts.map((f) => f.event));
    await harness.publish(Array.from({ length: DUPLICATES }, () => prng.pick(all)));
    await harness.waitConsumedAll();
    timings.publishAndProject = Date.now() - publishing;
    console.log(`published ${distinct} events in ${waves} waves and ${DUPLICATES} duplicates; projected in ${timings.publishAndProject} ms`);
    first = await projection();
  }, 600_000);

  afterAll(async () => {
    console.log(`timings (ms): ${JSON.stringify(timings)}`);
    await harness.tearDown();
  }, 60_000);

  it('applies every event once, duplicates included', async () => {
    expect(await harness.processedCount()).toBe(distinct);
  });

  it('keeps every ticket’s complete timeline, in the order it happened', async () => {
    expectNone('timelines', compareTimelines(workload.stories, first.timelines));
    // And through the API, for a ticket of each kind of story.
    const samples = [
      workload.stories.find((s) => s.facts.some((f) => f.kind === 'reopened')),
      // One signed before supervision had written its clock: the timeline follows the events' times.
      workload.stories.find((s) => expectedTimeline(s).some((id, i) => id !== s.facts[i].event.eventId)),
      workload.stories.find((s) => s.facts.some((f) => f.kind === 'moved')),
      workload.stories.find((s) => s.ticket.resolvedOnCall && s.facts.some((f) => f.kind === 'closed')),
    ].filter((s): s is TicketStory => !!s);
    for (const s of samples) {
      const answer = await harness.call('GET', `/api/tickets/${s.ticket.id}/timeline`, 'leader');
      expect(answer.status).toBe(200);
      expect(answer.body.map((e: { eventId: string }) => e.eventId)).toEqual(expectedTimeline(s));
    }
  });

  it('counts every daily counter exactly: no row missing, none extra', () => {
    expectNone('daily counters', compareCounters(truth.counters, first.counters));
  });

  it('names exactly the tickets behind every counter (each ticket’s contribution)', () => {
    expectNone('counter contributions', compareCounters(truth.contributions, first.contributions, 'counter_contribution'));
  });

  it('holds every ticket’s current state', () => {
    expectNone('ticket views', compareViews(workload.stories, truth.views, first.views));
  });

  it('shows every department’s own steps of every month: received, assigned, signed (on time), closed (on time), returned, reopened, and their rates', () => {
    // A signing is judged against the sign-for clock as it ran from its own start (the payload's
    // startedAt), even when supervision wrote the event late (the generator's lag windows).
    for (const month of months) expect(first.departments.get(month)?.formulaVersion).toBe(1);
    expectNone('department tables, steps', tables(first, { measures: STEP_MEASURES, rates: STEP_RATES }));
  });

  it('counts call-backs and repeats for the department that held the ticket then, and scores, colours and ranks every department', () => {
    // Call-backs and repeats count for the department that held the ticket when they happened,
    // not the one holding it now (a reopened ticket transferred elsewhere keeps its history).
    expectNone('department tables, call-backs and repeats', tables(first, { measures: HOLDER_MEASURES, rates: HOLDER_RATES, formula: DEFAULT_FORMULA }));
    for (const month of months) expect(rankProblems(first.departments.get(month)?.items ?? [])).toEqual([]);
  });

  it('shows the same measures and rates by district, domain, demand type and channel (分类统计), with the tickets behind each', async () => {
    expectNone('breakdowns', compareCounters(truth.breakdowns, first.breakdowns, 'breakdown_month'));
    // Through the API: the busiest district of the last month, its figures and rates as the truth's.
    const month = months[months.length - 1];
    const answer = await harness.call('GET', `/api/metrics/breakdown?month=${month}&dimension=region`, 'leader');
    expect(answer.status).toBe(200);
    const want = (key: string): Measures =>
      Object.fromEntries(MEASURE_NAMES.map((m) => [m, truth.breakdowns.get(`${month}|region|${key}|${m}`) ?? 0])) as Measures;
    const keys = [...new Set([...truth.breakdowns.keys()].filter((k) => k.startsWith(`${month}|region|`)).map((k) => k.split('|')[2]))].sort();
    expect(answer.body.items.map((r: { key: string }) => r.key)).toEqual(keys);
    for (const row of answer.body.items as (Measures & { key: string; name: string; rates: Rates })[]) {
      const { key, name, rates, ...measures } = row;
      expect({ key, measures, rates }).toEqual({ key, measures: want(key), rates: ratesOf(want(key)) });
      expect(name).toBe(findRegion(key)?.name);
    }
    const busiest = [...answer.body.items].sort((a: Measures, b: Measures) => b.closed - a.closed)[0] as Measures & { key: string };
    const behind = await harness.call('GET', `/api/metrics/breakdown/tickets?month=${month}&dimension=region&key=${busiest.key}&measure=closed`, 'leader');
    expect(behind.status).toBe(200);
    const closedThere = new Set(
      workload.stories
        .filter((s) => s.ticket.regionCode === busiest.key && s.facts.some((f) => f.kind === 'closed' && f.dept && monthOf(f.at) === month))
        .map((s) => s.ticket.id),
    );
    expect(behind.body.items.map((t: { id: string }) => t.id).sort()).toEqual([...closedThere].sort());
  });

  it('finds the spike injected into one region as a hotspot, and nothing in quiet or busy matters', async () => {
    const expected = expectedHotspots(workload.stories);
    // The generator keeps every other matter below the floor: the spike is the only hotspot.
    expect(expected.map((h) => `${h.day} ${h.regionCode}/${h.categoryCode}`)).toEqual([
      `${workload.today} ${workload.spike.regionCode}/${workload.spike.categoryCode}`,
    ]);
    const list = await harness.call('GET', spikeWindow(), 'leader');
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    const [hotspot] = list.body.items;
    expect(hotspot).toMatchObject({
      kind: 'region-category',
      day: workload.today,
      regionCode: workload.spike.regionCode,
      categoryCode: workload.spike.categoryCode,
      count: 8,
      baselineDailyAverage: Math.round((workload.spike.baseline / 28) * 100) / 100,
      baselineDays: 28,
    });
    const behind = await harness.call('GET', `/api/metrics/hotspots/${hotspot.id}/tickets`, 'leader');
    expect(behind.status).toBe(200);
    expect(behind.body.total).toBe(8);
    expect(behind.body.items.map((t: { id: string }) => t.id).sort()).toEqual([...workload.spike.ticketIds].sort());
    // Three demands of the same category in a quiet region, five of a category that runs at two a day: none.
    for (const quiet of [workload.quiet, workload.busy]) {
      expect(list.body.items.filter((h: { regionCode: string; categoryCode: string }) => h.regionCode === quiet.regionCode && h.categoryCode === quiet.categoryCode)).toEqual([]);
    }
    // The alert went out once, on the alerts topic, naming the tickets that crossed the threshold.
    const alerts = await harness.readAlerts();
    expect(alerts.map((a) => a.type)).toEqual(['metrics.hotspot-detected']);
    const payload = alerts[0].payload as { hotspotId: string; ticketIds: string[]; count: number };
    expect(payload.hotspotId).toBe(hotspot.id);
    expect(payload.count).toBe(expected[0].countAtDetection);
    expect(payload.ticketIds).toHaveLength(expected[0].countAtDetection);
    expect(payload.ticketIds.every((id) => workload.spike.ticketIds.includes(id))).toBe(true);
    // countAtDetection is the count when the alert was raised (5), the live count goes on (8).
    expect(hotspot.countAtDetection).toBe(expected[0].countAtDetection);
  });

  let published: HttpAnswer['body'];

  it('keeps a published month’s grading as it was when the formula changes, while the live table follows the new one', async () => {
    const publish = await harness.call('POST', '/api/metrics/grading/publish', 'leader', { month: PUBLISHED_MONTH });
    expect(publish.status).toBe(201);
    const before = await harness.call('GET', `/api/metrics/grading?month=${PUBLISHED_MONTH}`, 'leader');
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ month: PUBLISHED_MONTH, published: true, formulaVersion: 1 });
    published = before.body;
    // Published with formula 1: the month's measures as they stood, each score and colour the formula's.
    const table = first.departments.get(PUBLISHED_MONTH)?.items ?? [];
    const measuresOf = (rows: DepartmentRowAnswer[]) =>
      Object.fromEntries(rows.map((d) => [d.departmentId, [MEASURE_NAMES.map((m) => d[m]), d.rates, d.score, d.colour]]));
    expect(measuresOf(before.body.departments)).toEqual(measuresOf(table));
    for (const d of before.body.departments as DepartmentRowAnswer[]) {
      const score = compositeScore(d.rates, DEFAULT_FORMULA);
      expect([d.departmentId, d.score, d.colour]).toEqual([d.departmentId, score, colourFor(score, DEFAULT_FORMULA)]);
    }
    expect(rankProblems(before.body.departments)).toEqual([]);

    const changed = await harness.call('PUT', '/api/admin/scoring-formula', 'admin', NEW_FORMULA);
    expect(changed.status).toBe(200);
    expect(changed.body.version).toBe(2);

    // The published month: the same scores, colours, ranks and formula version as published.
    const after = await harness.call('GET', `/api/metrics/grading?month=${PUBLISHED_MONTH}`, 'leader');
    expect(after.body).toEqual(before.body);

    // The live table of the same month: the new formula on the same rates.
    const live = await harness.call('GET', `/api/metrics/departments?month=${PUBLISHED_MONTH}`, 'leader');
    expect(live.body.formulaVersion).toBe(2);
    let moved = 0;
    for (const d of live.body.items as DepartmentRowAnswer[]) {
      const score = compositeScore(d.rates, NEW_FORMULA);
      expect([d.departmentId, d.score, d.colour]).toEqual([d.departmentId, score, colourFor(score, NEW_FORMULA)]);
      if ((before.body.departments as DepartmentRowAnswer[]).find((x) => x.departmentId === d.departmentId)?.score !== d.score) moved += 1;
    }
    expect(moved).toBeGreaterThan(0);
    expect(rankProblems(live.body.items)).toEqual([]);
    // A month nobody published is live, with the new formula.
    const unpublished = await harness.call('GET', '/api/metrics/grading?month=2026-08', 'leader');
    expect(unpublished.body).toMatchObject({ published: false, formulaVersion: 2 });
  }, 240_000);

  describe('after a replay of every event (service stopped, projections rebuilt in event order, group placed after them)', () => {
    let replayed: Projection;
    let eventsToReplay = 0;
    let hotspotsBefore: HttpAnswer;

    beforeAll(async () => {
      const started = Date.now();
      hotspotsBefore = await harness.call('GET', spikeWindow(), 'leader');
      await harness.stopService();
      const summary = await harness.replay();
      eventsToReplay = summary.eventsToReplay;
      timings.replayRead = summary.timings.readMs;
      timings.replayProject = summary.timings.projectMs;
      timings.replayDepartmentTable = summary.timings.departmentTableMs;
      // The replay projects everything itself; the service then goes on from where it stopped.
      expect(await harness.processedCount()).toBe(distinct);
      await harness.startService();
      await harness.waitProjected(distinct, 180_000);
      await harness.waitConsumedAll();
      timings.replay = Date.now() - started;
      replayed = await projection();
    }, 600_000);

    it('applies every event again, once', async () => {
      expect(eventsToReplay).toBe(distinct + DUPLICATES);
      expect(await harness.processedCount()).toBe(distinct);
      expectNone('after replay: timelines', compareTimelines(workload.stories, replayed.timelines));
    });

    it('rebuilds every daily counter exactly as the truth and the first run had it', () => {
      // The replay projects in event time, so every event is applied after the ones that came
      // before it, whatever order the three topics were consumed in live.
      expectNone('after replay: daily counters', compareCounters(truth.counters, replayed.counters));
      expect(compareCounters(first.counters, replayed.counters).length).toBe(0);
      expectNone('after replay: counter contributions', compareCounters(truth.contributions, replayed.contributions, 'counter_contribution'));
    });

    it('rebuilds every ticket’s current state exactly as the truth and the first run had it', () => {
      // The same event-time order rebuilds every ticket's view as it was.
      expectNone('after replay: ticket views', compareViews(workload.stories, truth.views, replayed.views));
      const changed: string[] = [];
      for (const [id, row] of first.views) {
        if (JSON.stringify(row) !== JSON.stringify(replayed.views.get(id))) changed.push(id);
      }
      expect(changed.length).toBe(0);
    });

    it('rebuilds every department’s month (measures and rates) as the first run had it', () => {
      for (const month of months) {
        const strip = (rows: DepartmentRowAnswer[]) =>
          rows.map(({ score: _s, colour: _c, rank: _r, ...rest }) => rest).sort((a, b) => a.departmentId.localeCompare(b.departmentId));
        expect(strip(replayed.departments.get(month)?.items ?? [])).toEqual(strip(first.departments.get(month)?.items ?? []));
        expect(replayed.departments.get(month)?.formulaVersion).toBe(2);
      }
    });

    it('rebuilds the measures by district, domain, demand type and channel as the truth has them', () => {
      expectNone('after replay: breakdowns', compareCounters(truth.breakdowns, replayed.breakdowns, 'breakdown_month'));
    });

    it('rebuilds every department’s month as the truth has it, scored with the formula now in force', () => {
      // The month computed from the rebuilt timeline, scored with the formula in force now.
      expectNone('after replay: department tables', tables(replayed, { measures: [...MEASURE_NAMES], rates: [...STEP_RATES, ...HOLDER_RATES], formula: NEW_FORMULA }));
    });

    it('keeps the published grading', async () => {
      const grading = await harness.call('GET', `/api/metrics/grading?month=${PUBLISHED_MONTH}`, 'leader');
      expect(grading.body).toEqual(published);
    });

    it('keeps the alerts raised, and raises none', async () => {
      // Demands are replayed in event time, so each is judged against the baseline it had live:
      // no alert is raised again, none is raised anew.
      const hotspotsAfter = await harness.call('GET', spikeWindow(), 'leader');
      expect(hotspotsAfter.body).toEqual(hotspotsBefore.body);
      expect((await harness.readAlerts()).map((a) => a.type)).toEqual(['metrics.hotspot-detected']);
    });
  });

  describe('after a replay staged in PostgreSQL (what a history too large for memory takes)', () => {
    let staged: Projection;
    let summary: ReplaySummary;

    beforeAll(async () => {
      await harness.stopService();
      summary = await harness.replay({ inMemoryUpTo: 0 });
      await harness.startService();
      await harness.waitProjected(distinct, 180_000);
      await harness.waitConsumedAll();
      staged = await projection();
    }, 600_000);

    it('orders and projects every event as the replay in memory did: the same timelines, counters, views and tables', async () => {
      expect(summary).toMatchObject({ staged: true, eventsToReplay: distinct + DUPLICATES, eventsProjected: distinct });
      expect(await harness.processedCount()).toBe(distinct);
      expectNone('staged replay: timelines', compareTimelines(workload.stories, staged.timelines));
      expectNone('staged replay: daily counters', compareCounters(truth.counters, staged.counters));
      expectNone('staged replay: counter contributions', compareCounters(truth.contributions, staged.contributions, 'counter_contribution'));
      expectNone('staged replay: ticket views', compareViews(workload.stories, truth.views, staged.views));
      const changed = [...first.views].filter(([id, row]) => JSON.stringify(row) !== JSON.stringify(staged.views.get(id)));
      expect(changed.length).toBe(0);
      expectNone('staged replay: breakdowns', compareCounters(truth.breakdowns, staged.breakdowns, 'breakdown_month'));
      expectNone('staged replay: department tables', tables(staged, { measures: [...MEASURE_NAMES], rates: [...STEP_RATES, ...HOLDER_RATES], formula: NEW_FORMULA }));
      expect((await harness.readAlerts()).map((a) => a.type)).toEqual(['metrics.hotspot-detected']);
      // Nothing of the staging is left in the database.
      expect(await harness.dataSource.query(`SELECT count(*)::int AS n FROM pg_class WHERE relname IN ('replay_event', 'replay_order')`)).toEqual([{ n: 0 }]);
    });
  });
});
