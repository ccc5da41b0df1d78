/** The table printed at the end of a run, the JSON written beside it, and the comparison with the last run. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Figure, Target } from './context';
import { fmt } from './stats';

export const RESULTS_DIR = path.resolve(__dirname, '..', 'results');

/** Other work above this share of one core during a measurement marks the figure as contended. */
export const CONTENDED_AT = 15;

export function verdict(figure: Figure): 'met' | 'MISSED' | '' {
  if (!figure.target) return '';
  // A target whose figure could not be measured is not met.
  if (figure.value === null || Number.isNaN(figure.value)) return 'MISSED';
  return meets(figure.value, figure.target) ? 'met' : 'MISSED';
}

function meets(value: number, target: Target): boolean {
  if (target.op === '>=') return value >= target.value;
  if (target.op === '<=') return value <= target.value;
  return value === target.value;
}

function valueText(f: Figure): string {
  if (f.value === null || Number.isNaN(f.value)) return 'not measured';
  const digits = Math.abs(f.value) < 10 && !Number.isInteger(f.value) ? 1 : 0;
  return `${fmt(f.value, digits)} ${f.unit}`;
}

function targetText(t?: Target, unit = ''): string {
  if (!t) return '';
  return `${t.op === '==' ? '=' : t.op === '>=' ? '≥' : '≤'} ${fmt(t.value)} ${unit}`.trim();
}

export interface Previous {
  file: string;
  figures: Map<string, number | null>;
}

/** The latest earlier result of the same mode (quick or full), to print beside this run. */
export function previousResult(quick: boolean, except?: string): Previous | null {
  if (!fs.existsSync(RESULTS_DIR)) return null;
  const files = fs
    .readdirSync(RESULTS_DIR)
    .filter((f) => f.endsWith('.json') && f.includes('-quick') === quick && path.join(RESULTS_DIR, f) !== except)
    .sort();
  const last = files[files.length - 1];
  if (!last) return null;
  try {
    const data = JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, last), 'utf8')) as { figures: Figure[] };
    return { file: last, figures: new Map(data.figures.map((f) => [f.key, f.value])) };
  } catch {
    return null;
  }
}

export function renderTable(figures: Figure[], previous: Previous | null): string {
  const rows = figures.map((f) => {
    const prev = previous?.figures.get(f.key);
    return [
      f.key,
      f.label,
      valueText(f),
      targetText(f.target, f.unit),
      verdict(f),
      f.otherLoad === undefined ? '' : `${f.otherLoad}%${f.otherLoad >= CONTENDED_AT ? ' ⚠' : ''}`,
      previous ? (prev === undefined || prev === null ? '' : fmt(prev, Math.abs(prev) < 10 && !Number.isInteger(prev) ? 1 : 0)) : '',
    ];
  });
  const header = ['key', 'figure', 'value', 'target', 'status', 'other load', previous ? `previous (${previous.file})` : ''];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => [...r[i]].length)));
  const line = (r: string[]) => r.map((c, i) => c + ' '.repeat(widths[i] - [...c].length)).join('  ').trimEnd();
  const out = [line(header), widths.map((w) => '─'.repeat(w)).join('  ')];
  for (const r of rows) out.push(line(r));
  return out.join('\n');
}

/** Markdown of the same table, for bench/README.md. */
export function markdownTable(figures: Figure[]): string {
  const out = ['| figure | value | target | status | other load |', '|---|---|---|---|---|'];
  for (const f of figures) {
    out.push(
      `| ${f.label} | ${valueText(f)} | ${targetText(f.target, f.unit)} | ${verdict(f)} | ${f.otherLoad === undefined ? '' : `${f.otherLoad} %`} |`,
    );
  }
  return out.join('\n');
}

export function machine(): Record<string, unknown> {
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  };
}

export function resultFile(quick: boolean): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return path.join(RESULTS_DIR, `${stamp}${quick ? '-quick' : ''}.json`);
}
