/**
 * Summary of a V8 .cpuprofile: where the samples fell (self time) by function and by package,
 * and which of the project's own functions were on the stack (inclusive time).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './stack';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  file: string;
  wallMs: number;
  /** Share of the wall time the thread was busy (not idle). */
  busy: number;
  gc: number;
  byPackage: { name: string; share: number }[];
  selfTop: { fn: string; share: number }[];
  ownInclusive: { fn: string; share: number }[];
}

function packageOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const nm = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  const own = /\/(apps\/[^/]+|libs\/[^/]+)\//.exec(url);
  if (own) return own[1];
  return path.basename(url);
}

function frameName(frame: ProfileNode['callFrame']): string {
  const where = frame.url ? `${frame.url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '').replace(/.*node_modules\//, '')}:${frame.lineNumber + 1}` : '';
  return `${frame.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
}

export function summariseProfile(file: string, top = 12): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  // Samples taken inside the profiler hook itself (starting the profiler) are not the service's work.
  const underHook = new Map<number, boolean>();
  const isUnderHook = (id: number): boolean => {
    const known = underHook.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const p = parent.get(id);
    const value = !!node && (node.callFrame.url.includes('profiler-hook') || (p !== undefined && isUnderHook(p)));
    underHook.set(id, value);
    return value;
  };
  let hookTime = 0;
  for (const [id, t] of self) {
    if (isUnderHook(id)) {
      hookTime += t;
      self.delete(id);
    }
  }
  const wall = Math.max(1, profile.endTime - profile.startTime - hookTime);
  let idle = 0;
  let gc = 0;
  const byFn = new Map<string, number>();
  const byPkg = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, t] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const f = node.callFrame;
    if (f.functionName === '(idle)') {
      idle += t;
      continue;
    }
    if (f.functionName === '(garbage collector)') gc += t;
    const name = frameName(f);
    byFn.set(name, (byFn.get(name) ?? 0) + t);
    const pkg = packageOf(f.url, f.functionName);
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + t);
    // Inclusive time of the project's own functions: each counted once per stack.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)?.callFrame;
      if (!frame || !/\/(apps|libs)\//.test(frame.url) || frame.url.includes('node_modules')) continue;
      const key = frameName(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + t);
    }
  }
  const busyTime = wall - idle;
  const share = (t: number) => Math.round((1000 * t) / Math.max(1, busyTime)) / 10;
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    file: path.relative(ROOT, file),
    wallMs: Math.round(wall / 1000),
    busy: Math.round((1000 * busyTime) / wall) / 10,
    gc: share(gc),
    byPackage: sorted(byPkg).map(([name, t]) => ({ name, share: share(t) })),
    selfTop: sorted(byFn).map(([fn, t]) => ({ fn, share: share(t) })),
    ownInclusive: sorted(inclusive).map(([fn, t]) => ({ fn, share: share(t) })),
  };
}

export function describeProfile(label: string, s: ProfileSummary, top = 8): string {
  const lines = [
    `  CPU profile of ${label} (${s.file}): busy ${s.busy} % of ${(s.wallMs / 1000).toFixed(0)} s, GC ${s.gc} % of busy`,
    `    by package (% of busy): ${s.byPackage.slice(0, 8).map((p) => `${p.name} ${p.share}`).join(', ')}`,
    `    hottest functions (self):`,
    ...s.selfTop.slice(0, top).map((f) => `      ${String(f.share).padStart(5)} %  ${f.fn}`),
    `    project functions on the stack (inclusive):`,
    ...s.ownInclusive.slice(0, top).map((f) => `      ${String(f.share).padStart(5)} %  ${f.fn}`),
  ];
  return lines.join('\n');
}
