import { EventEnvelope } from '@hotline/contracts';
import { compareCounters, compareTimelines, compareViews, summarise } from './support/compare';
import { expectedBreakdowns, expectedContributions, expectedCounters, expectedDepartmentMonth, expectedView, ExpectedView, MEASURE_NAMES, monthsOf } from './support/ground-truth';
import { MetricsHarness } from './support/metrics-harness';
import { workloadSeed } from './support/prng';
import { generateWorkload, Workload } from './support/workload';

/**
 * Issue #9: after a restart the three topics' backlogs are read side by side, so a ticket's
 * closing, call-backs, escalations and repeats can be projected before the assignment that says
 * which department held it. Here every topic's events are published one topic after the other,
 * against causal order, and the counters and the department table must still equal the ground
 * truth: each step charged to the department that held the ticket then, once, with the tickets
 * behind it, and the same measures by the ticket's district, domain, demand type and channel
 * (whose receipt, bringing them, may come last). Three orders: supervision's first (steps before the assignment that gives them a
 * department); assignment's first and supervision's last (acceptances judged only once the
 * clocks come); and intake's last after a ticket view begun by supervision's events (the receipt
 * the last to make a ticket's arrival count).
 */
const TICKETS = Number(process.env.WORKLOAD_TICKETS_OUT_OF_ORDER ?? 400);
const TOPIC_ORDERS = [
  ['supervision', 'intake', 'assignment'],
  ['assignment', 'intake', 'supervision'],
  ['supervision', 'assignment', 'intake'],
];

describe.each(TOPIC_ORDERS)('metrics with each topic read after the others (issue #9): %s, then %s, then %s', (...TOPIC_ORDER: string[]) => {
  const harness = new MetricsHarness();
  let workload: Workload;

  beforeAll(async () => {
    workload = generateWorkload(workloadSeed(), TICKETS, new Date());
    console.log(`out-of-order: seed ${workload.seed} (WORKLOAD_SEED reproduces it), ${workload.stories.length} tickets`);
    await harness.setUp();
    await harness.startService();
    let distinct = 0;
    for (const producer of TOPIC_ORDER) {
      const events: EventEnvelope[] = workload.stories.flatMap((s) => s.facts.filter((f) => f.event.producer === producer).map((f) => f.event));
      await harness.publish(events);
      distinct += events.length;
      await harness.waitProjected(distinct, 300_000);
    }
    await harness.waitConsumedAll();
  }, 600_000);

  afterAll(async () => {
    await harness.tearDown();
  }, 60_000);

  function expectNone(what: string, lines: string[]): void {
    if (lines.length) console.warn(`${what} (seed ${workload.seed}):\n${lines.join('\n')}`);
    expect(lines).toEqual([]);
  }

  it('counts every step for the department that held the ticket then, exactly once', async () => {
    expectNone('counters', summarise(compareCounters(expectedCounters(workload.stories), await harness.counters())));
  });

  it('keeps every department’s month: each step counted once for the department that held the ticket then, judged on time against the deadline then', async () => {
    const expected = new Map<string, number>();
    for (const month of monthsOf(workload.stories)) {
      for (const [dept, truth] of expectedDepartmentMonth(workload.stories, month)) {
        for (const measure of MEASURE_NAMES) if (truth.measures[measure]) expected.set(`${month}|department|${dept}|${measure}`, truth.measures[measure]);
      }
    }
    expectNone('department table', summarise(compareCounters(expected, await harness.departmentMonths(), 'department_month')));
  });

  it('keeps the same measures by district, domain, demand type and channel, whichever event brought the ticket’s attributes', async () => {
    expectNone('breakdowns', summarise(compareCounters(expectedBreakdowns(workload.stories), await harness.breakdownMonths(), 'breakdown_month')));
  });

  it('lists the tickets behind every counter', async () => {
    expectNone('contributions', summarise(compareCounters(expectedContributions(workload.stories), await harness.contributions(), 'counter_contribution')));
  });

  it('keeps every ticket’s view and complete timeline', async () => {
    const expected = new Map<string, ExpectedView>(workload.stories.map((s) => [s.ticket.id, expectedView(s)]));
    expectNone('views', summarise(compareViews(workload.stories, expected, await harness.views())));
    expectNone('timelines', summarise(compareTimelines(workload.stories, await harness.timelines())));
  });
});
