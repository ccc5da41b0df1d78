/** The printed verdict: what was done to the system, and what it lost, duplicated or got wrong. */
import { CheckResult } from './checks';
import { FaultRecord, PoisonRecord } from './faults';
import { HttpStats } from './http';
import { Quiescence } from './quiesce';

export interface WorkloadSummary {
  planned: number;
  accepted: number;
  createInDoubt: number;
  actionsApplied: number;
  actionsInDoubt: number;
  confirmedByState: number;
  stuck: string[];
  byScript: Record<string, number>;
}

export interface FaultReport {
  ok: boolean;
  seed: number;
  mode: 'short' | 'full';
  settings: Record<string, number | string | boolean>;
  timings: { setupMs: number; loadMs: number; drainMs: number; quiesceMs: number; checkMs: number; totalMs: number };
  faults: FaultRecord[];
  poison: PoisonRecord[];
  /** Services that died without being killed. */
  crashes: string[];
  workload: WorkloadSummary;
  http: HttpStats;
  quiescence: Quiescence;
  checks: CheckResult;
  failures: string[];
  logDir: string;
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Every reason the run failed, one line each (empty: it passed). */
export function failuresOf(r: Omit<FaultReport, 'ok' | 'failures'>): string[] {
  const c = r.checks;
  const out: string[] = [];
  const tickets = (label: string, list: CheckResult['lost'], pick: (v: CheckResult['lost'][number]) => string[]) => {
    for (const v of list) out.push(`${label}: ticket #${v.seq} ${v.id} (${v.script}): ${pick(v).join('; ')}`);
  };
  tickets('lost', c.lost, (v) => v.lost);
  tickets('duplicated', c.duplicated, (v) => v.duplicated);
  tickets('wrong state', c.wrongState, (v) => v.wrongState);
  tickets('timeline order', c.orderViolations, (v) => v.order);
  out.push(...c.timers.firedTwice.map((x) => `timer fired twice: ${x}`));
  out.push(...c.timers.missed.map((x) => `timer missed: ${x}`));
  out.push(...c.timers.early.map((x) => `timer early: ${x}`));
  out.push(...c.counters.inconsistentTotals.map((x) => `counter: ${x}`));
  out.push(...c.poison.missing.map((x) => `poison: ${x}`));
  out.push(...c.poison.wrongKind.map((x) => `poison: ${x}`));
  out.push(...c.unexpectedDeadLetters.map((x) => `dead letter of a real event: ${x}`));
  out.push(...c.unverifiable);
  out.push(...c.anomalies.map((x) => `anomaly: ${x}`));
  out.push(...r.workload.stuck.map((x) => `stuck: ${x}`));
  out.push(...r.crashes.map((x) => `crash: ${x}`));
  out.push(...r.http.internalErrors.map((x) => `500 answer: ${x}`));
  for (const f of r.faults) {
    if (f.error || f.recoveredAt === null) out.push(`fault ${f.kind} ${f.target} did not complete: ${f.error ?? 'never recovered'}`);
  }
  if (!r.quiescence.quiet) out.push(`the system never settled (${s(r.quiescence.waitedMs)}): ${r.quiescence.last}`);
  return out;
}

function table(rows: [string, string | number, string?][]): string {
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => String(r[1]).length));
  const line = `+${'-'.repeat(w0 + 2)}+${'-'.repeat(w1 + 2)}+`;
  const body = rows.map(([a, b, note]) => `| ${a.padEnd(w0)} | ${String(b).padStart(w1)} |${note ? ` ${note}` : ''}`);
  return [line, ...body, line].join('\n');
}

export function formatReport(r: FaultReport): string {
  const c = r.checks;
  const kills = ['gateway', 'intake', 'assignment', 'supervision', 'metrics'].map((name) => r.faults.filter((f) => f.kind === 'kill' && f.target === name));
  const kafka = r.faults.filter((f) => f.kind === 'kafka');
  const postgres = r.faults.filter((f) => f.kind === 'postgres');
  const recovery = (list: FaultRecord[]) =>
    list.length ? `recovered in ${list.map((f) => (f.recoveredAt ? s(f.recoveredAt - f.at) : 'never')).join(', ')}` : '';
  const names = ['gateway', 'intake', 'assignment', 'supervision', 'metrics'];
  const main = table([
    ['faults injected', r.faults.length],
    ...kills.map((list, i): [string, number, string] => [`  SIGKILL + restart ${names[i]}`, list.length, recovery(list)]),
    ['  Kafka broker stop + restart', kafka.length, `${kafka.map((f) => f.how).join(', ')}; ${recovery(kafka)}`],
    ['  PostgreSQL stop + restart', postgres.length, `${postgres.map((f) => `-m ${f.how}`).join(', ')}; ${recovery(postgres)}`],
    ['  poison messages', r.poison.length, `${new Set(r.poison.map((p) => p.topic)).size} topics × bad JSON, unknown type, invalid payload`],
    ['tickets accepted (2xx)', r.workload.accepted, `of ${r.workload.planned} planned`],
    ['lost', c.lost.length],
    ['duplicated', c.duplicated.length],
    ['wrong state', c.wrongState.length],
  ]);
  const more = table([
    ['actions applied (2xx / by state)', `${r.workload.actionsApplied} / ${r.workload.confirmedByState}`],
    ['actions in doubt (5xx, reset, timeout)', r.workload.actionsInDoubt],
    ['500 answers (unclassified errors)', r.http.internalErrors.length],
    ['creations in doubt / found in intake', `${r.workload.createInDoubt} / ${c.orphans}`],
    ['actions stuck', r.workload.stuck.length],
    ['services that died on their own', r.crashes.length],
    ['timelines out of order', c.orderViolations.length],
    ['SLA clocks checked', c.timers.clocks],
    ['timers fired (warning / overdue / escalated)', `${c.timers.warnings} / ${c.timers.overdues} / ${c.timers.escalations}`],
    ['timers fired twice', c.timers.firedTwice.length],
    ['timers missed', c.timers.missed.length],
    ['timers early', c.timers.early.length],
    ['poison dead letters found / expected', `${c.poison.found} / ${c.poison.expectedLetters}`],
    ['poison with the wrong error', c.poison.wrongKind.length],
    ['dead letters of real events', c.unexpectedDeadLetters.length],
    ['daily counters ≠ their contributions', c.counters.inconsistentTotals.length],
    ['anomalies seen by the generator', c.anomalies.length],
  ]);
  const t = r.timings;
  const lines = [
    '',
    `Fault suite (${r.mode}) — seed ${r.seed}`,
    main,
    more,
    `requests ${r.http.requests} (ok ${r.http.ok}, 4xx ${r.http.rejected}, refused ${r.http.refused}, in doubt ${r.http.doubt}); ` +
      `tickets by script: ${Object.entries(r.workload.byScript).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `time: setup ${s(t.setupMs)}, load ${s(t.loadMs)}, drain ${s(t.drainMs)}, settle ${s(t.quiesceMs)}, checks ${s(t.checkMs)}, total ${s(t.totalMs)}`,
    `logs: ${r.logDir}`,
  ];
  if (r.failures.length) {
    lines.push(`FAILED (${r.failures.length}):`);
    lines.push(...r.failures.slice(0, 60).map((f) => `  - ${f}`));
    if (r.failures.length > 60) lines.push(`  … ${r.failures.length - 60} more in ${r.logDir}/report.json`);
  } else {
    lines.push('PASSED: nothing lost, duplicated or in the wrong state; every timer and poison message accounted for.');
  }
  return lines.join('\n');
}
