/**
 * 故障演练 — `npm run test:faults`: a generated workload through the whole stack on real servers
 * while services are SIGKILLed, the broker and the database are restarted and poison messages
 * are injected; then every accepted ticket is checked in every service. Exit 0 when nothing was
 * lost, duplicated or left in the wrong state, 1 when something was, 2 when the run itself failed.
 *
 *   npm run test:faults                       # ~4 min of load (~6 min in all), 160 tickets, every fault twice
 *   npm run test:faults -- --short            # ~45 s of load, 40 tickets, every fault once
 *   npm run test:faults -- --seed 42          # replay a run's workload and fault plan
 *     --duration <seconds of load>  --tickets <n>  --kills <per service>  --keep  --log-dir <dir>  --report <file.json>
 *   Environment: FAULT_SEED, FAULT_DURATION, FAULT_TICKETS, FAULT_SHORT=1, FAULT_KEEP=1.
 */
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './esm';
import { formatReport } from './report';
import { cleanUp, defaultOptions, runFaultSuite, SuiteOptions } from './suite';

function options(argv: string[]): SuiteOptions & { report?: string } {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      seed: { type: 'string' },
      short: { type: 'boolean' },
      duration: { type: 'string' },
      tickets: { type: 'string' },
      kills: { type: 'string' },
      keep: { type: 'boolean' },
      'log-dir': { type: 'string' },
      report: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(fs.readFileSync(__filename, 'utf8').split('*/')[0].replace(/^\/\*\*|^ \* ?/gm, ''));
    process.exit(0);
  }
  const number = (text: string | undefined, what: string): number | undefined => {
    if (text === undefined || text === '') return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${what} must be a whole number, got '${text}'`);
    return n;
  };
  const short = values.short ?? ['1', 'true'].includes(process.env.FAULT_SHORT ?? '');
  const seed = number(values.seed ?? process.env.FAULT_SEED, 'seed') ?? randomInt(1, 2 ** 31);
  const base = defaultOptions(short ? 'short' : 'full', seed);
  const duration = number(values.duration ?? process.env.FAULT_DURATION, 'duration');
  const tickets = number(values.tickets ?? process.env.FAULT_TICKETS, 'tickets');
  const kills = number(values.kills, 'kills');
  const started = Date.now();
  const logDir = path.resolve(values['log-dir'] ?? path.join(ROOT, '.local', 'logs', `faults-${seed}-${process.pid}`));
  return {
    ...base,
    loadMs: duration !== undefined ? duration * 1000 : base.loadMs,
    tickets: tickets ?? (duration !== undefined ? Math.round((base.tickets * duration * 1000) / base.loadMs) : base.tickets),
    killsPerService: kills ?? base.killsPerService,
    keep: values.keep ?? ['1', 'true'].includes(process.env.FAULT_KEEP ?? ''),
    logDir,
    report: values.report,
    log: (message) => console.log(`[faults +${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${message}`),
  };
}

async function main(): Promise<number> {
  let opts: ReturnType<typeof options>;
  try {
    opts = options(process.argv.slice(2));
  } catch (err) {
    console.error(`[faults] ${(err as Error).message}`);
    return 2;
  }
  opts.log(
    `seed ${opts.seed} (run it again with FAULT_SEED=${opts.seed}); ${opts.mode}: ${opts.tickets} tickets over ${opts.loadMs / 1000} s, ` +
      `${opts.killsPerService} SIGKILL per service, ${opts.kafkaRestarts} broker and ${opts.postgresRestarts} PostgreSQL restart(s), 9 poison messages; logs in ${opts.logDir}`,
  );
  const interrupted = (signal: string) => {
    opts.log(`${signal}: stopping the run's stack and servers`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', () => interrupted('SIGINT'));
  process.once('SIGTERM', () => interrupted('SIGTERM'));
  try {
    const report = await runFaultSuite(opts);
    console.log(formatReport(report));
    if (opts.report) fs.writeFileSync(opts.report, JSON.stringify(report, null, 2));
    return report.ok ? 0 : 1;
  } catch (err) {
    console.error(`[faults] the run itself failed: ${(err as Error).stack ?? err}`);
    return 2;
  } finally {
    await cleanUp();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
