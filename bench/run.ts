/**
 * `npm run bench [-- <scenario…>] [--quick] [--profile] [--keep] [--concurrency N] [--partitions N]
 *                 [--history-tickets N] [--regenerate-history] [--from-source]`
 *
 * Brings the stack up (the real PostgreSQL, Kafka and Redis; the five services as processes, on a
 * database, Kafka namespace and Redis prefix of this run's own), runs each scenario with a
 * warm-up, prints a table of the figures and ratios measured in this run against the targets of
 * issue #10, and writes them to bench/results/<date>[-quick].json so runs can be compared.
 * Scenarios, in order: raw intake pipeline replicas replay timers metrics memory (all by default).
 * See bench/README.md for what each measures and what bounds it.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import type { BenchContext, BenchOptions, Figure, ScenarioOutcome, Scenario, SharedFigures } from './support/context';
import { LoadGenerator } from './support/load';
import { loadAverage, ResourceMonitor } from './support/proc';
import { AutovacuumStandIn } from './support/autovacuum';
import { machine, markdownTable, previousResult, renderTable, resultFile, RESULTS_DIR, CONTENDED_AT, verdict } from './support/report';
import { ROOT, Stack } from './support/stack';
import { intake } from './scenarios/intake';
import { HeapWatch, memory } from './scenarios/memory';
import { metrics } from './scenarios/metrics';
import { pipeline } from './scenarios/pipeline';
import { raw } from './scenarios/raw';
import { replay } from './scenarios/replay';
import { replicas } from './scenarios/replicas';
import { timers } from './scenarios/timers';

const SCENARIOS: Scenario[] = [raw, intake, pipeline, replicas, replay, timers, metrics, memory];

function parseArgs(argv: string[]): { names: string[]; options: BenchOptions } {
  const options: BenchOptions = {
    quick: false,
    profile: false,
    keep: false,
    concurrency: 32,
    partitions: 6,
    historyTickets: 0,
    regenerateHistory: false,
    fromSource: false,
  };
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = arg.includes('=') ? arg.split('=')[1] : argv[++i];
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) throw new Error(`${arg}: a positive integer is expected`);
      return n;
    };
    if (arg === '--quick') options.quick = true;
    else if (arg === '--profile') options.profile = true;
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--regenerate-history') options.regenerateHistory = true;
    else if (arg === '--from-source') options.fromSource = true;
    else if (arg.startsWith('--concurrency')) options.concurrency = value();
    else if (arg.startsWith('--partitions')) options.partitions = value();
    else if (arg.startsWith('--history-tickets')) options.historyTickets = value();
    else if (arg === '--help' || arg === '-h') {
      console.log(fs.readFileSync(__filename, 'utf8').split('*/')[0]);
      process.exit(0);
    } else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else if (SCENARIOS.some((s) => s.name === arg)) names.push(arg);
    else throw new Error(`unknown scenario '${arg}' (scenarios: ${SCENARIOS.map((s) => s.name).join(' ')})`);
  }
  if (!options.historyTickets) options.historyTickets = options.quick ? 250_000 : 5_000_000;
  return { names: names.length ? names : SCENARIOS.map((s) => s.name), options };
}

async function main(): Promise<number> {
  const { names, options } = parseArgs(process.argv.slice(2));
  const started = new Date();
  const t0 = Date.now();
  const log = (message: string) => console.log(`${((Date.now() - t0) / 1000).toFixed(0).padStart(5)}s ${message}`);
  const runId = started.toISOString().replace(/[:.]/g, '-');
  const loadBefore = loadAverage();
  log(`hotline benchmark${options.quick ? ' (quick)' : ''}: ${names.join(', ')} — load average ${loadBefore.join(' ')} on ${machine().cores} cores`);
  if (loadBefore[0] > 1.5) log(`  the machine is busy with other work (load ${loadBefore[0]}): figures will be noisy, marked where other work took ≥ ${CONTENDED_AT}% of a core`);

  const monitor = new ResourceMonitor();
  monitor.start(500);
  const load = new LoadGenerator();
  const stack = await Stack.up({ log, partitions: options.partitions, monitor, runId, fromSource: options.fromSource });
  const autovacuum = await AutovacuumStandIn.startIfOff(stack.url, log);
  log(`services' NODE_OPTIONS: ${stack.serviceNodeOptions() || '(none)'}`);
  const shared: SharedFigures = { phoneBase: 0 };
  const ctx: BenchContext = {
    stack,
    options,
    monitor,
    load,
    shared,
    log,
    pick: (full, quick) => (options.quick ? quick : full),
  };
  monitor.track('load generator', load.ensure());
  const heaps = new HeapWatch(ctx);
  ctx.heapPeaks = heaps.peaks;
  heaps.start();

  const outcomes: Record<string, ScenarioOutcome | { error: string }> = {};
  const figures: Figure[] = [];
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) {
      stack.killAll();
      load.stop();
      process.exit(130);
    }
    interrupted = true;
    log('interrupted: finishing the current step, then tearing down (again to quit at once)');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    for (const scenario of SCENARIOS.filter((s) => names.includes(s.name))) {
      if (interrupted) break;
      log(`── ${scenario.name}: ${scenario.title}`);
      const s0 = Date.now();
      try {
        const outcome = await scenario.run(ctx);
        outcomes[scenario.name] = outcome;
        figures.push(...outcome.figures);
        log(`── ${scenario.name} done in ${((Date.now() - s0) / 1000).toFixed(0)} s`);
      } catch (err) {
        outcomes[scenario.name] = { error: (err as Error).stack ?? String(err) };
        log(`── ${scenario.name} FAILED: ${(err as Error).stack ?? err}`);
      }
    }
  } finally {
    heaps.stop();
    monitor.stop();
    load.stop();
    await autovacuum?.stop();
    await stack.down(options.keep).catch((err) => log(`tear-down: ${(err as Error).message}`));
  }

  const file = resultFile(options.quick);
  const previous = previousResult(options.quick, file);
  console.log('');
  console.log(renderTable(figures, previous));
  const missed = figures.filter((f) => verdict(f) === 'MISSED');
  const contended = figures.filter((f) => (f.otherLoad ?? 0) >= CONTENDED_AT);
  console.log('');
  if (missed.length) console.log(`Targets missed (${missed.length}): ${missed.map((f) => f.key).join(', ')} — what bounds each: bench/README.md`);
  else if (figures.some((f) => f.target)) console.log('Every target measured in this run was met.');
  if (contended.length) console.log(`⚠ ${contended.length} figures measured while other work used ≥ ${CONTENDED_AT}% of a core (column "other load").`);
  for (const f of figures.filter((x) => x.note)) console.log(`  ${f.key}: ${f.note}`);

  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const data = {
    startedAt: started.toISOString(),
    durationSeconds: Math.round((Date.now() - t0) / 1000),
    args: process.argv.slice(2),
    options,
    serviceNodeOptions: stack.serviceNodeOptions(),
    machine: { ...machine(), loadAverageBefore: loadBefore, loadAverageAfter: loadAverage(), autovacuum: autovacuum ? { standIn: true, ...autovacuum.done } : 'server' },
    figures: figures.map((f) => ({ ...f, status: verdict(f) || undefined })),
    scenarios: outcomes,
    memory: { peaks: monitor.peakRss(), byPhase: monitor.phasePeakRss() },
    logs: path.relative(ROOT, stack.logDir),
    markdown: markdownTable(figures),
  };
  fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  console.log(`\nresults: ${path.relative(ROOT, file)}${options.keep ? `; database ${stack.database} and topics ${stack.namespace}* kept` : ''}`);
  return Object.values(outcomes).some((o) => 'error' in o) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
