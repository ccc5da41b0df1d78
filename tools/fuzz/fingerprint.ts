import { createHash } from 'node:crypto';
import { Client } from 'pg';

/** The schemas of the five services: everything they store. */
export const SERVICE_SCHEMAS = ['gateway', 'intake', 'assignment', 'supervision', 'metrics'] as const;

/**
 * Tables left out of the comparison, with why. Empty on purpose: no fuzz request may reach code
 * that writes, not even the append-only trails. The gateway's audit trail (gateway.audit_entry)
 * records refused *logins* (a well-formed username and password that do not match) — the fuzz
 * never sends a well-formed login (every login it sends fails validation before the session
 * service runs), so a new audit row would mean a malformed request got through. Likewise
 * intake.caller_reveal records reveals, which a refused request must not reach.
 */
export const EXCLUDED_TABLES: Record<string, string> = {};

export interface TablePrint {
  rows: number;
  /** md5 of every row's md5, sorted: equal when the rows are equal, whatever their order. */
  digest: string;
  /** md5 of each row, sorted (to name added and removed rows). */
  rowDigests: string[];
}

export type Fingerprint = Map<string, TablePrint>;

export async function tablesOf(client: Client): Promise<string[]> {
  const { rows } = await client.query<{ t: string }>(
    `SELECT table_schema || '.' || table_name AS t FROM information_schema.tables
      WHERE table_schema = ANY($1) AND table_type = 'BASE TABLE' ORDER BY 1`,
    [[...SERVICE_SCHEMAS]],
  );
  return rows.map((r) => r.t).filter((t) => !(t in EXCLUDED_TABLES));
}

function quoted(table: string): string {
  return table
    .split('.')
    .map((part) => `"${part.replace(/"/g, '""')}"`)
    .join('.');
}

/** A fingerprint of every service table, taken in one repeatable-read snapshot. */
export async function fingerprint(client: Client): Promise<Fingerprint> {
  const tables = await tablesOf(client);
  const result: Fingerprint = new Map();
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    for (const table of tables) {
      const { rows } = await client.query<{ d: string }>(`SELECT md5(t::text) AS d FROM ${quoted(table)} t ORDER BY 1`);
      const rowDigests = rows.map((r) => r.d);
      result.set(table, { rows: rowDigests.length, digest: createHash('md5').update(rowDigests.join(',')).digest('hex'), rowDigests });
    }
  } finally {
    await client.query('COMMIT');
  }
  return result;
}

export interface TableChange {
  table: string;
  before: number;
  after: number;
  added: string[];
  removed: number;
}

/** The tables whose content differs, with the added rows as text. */
export async function compare(client: Client, before: Fingerprint, after: Fingerprint): Promise<TableChange[]> {
  const changes: TableChange[] = [];
  for (const table of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(table);
    const b = after.get(table);
    if (a && b && a.digest === b.digest) continue;
    const beforeSet = new Set(a?.rowDigests ?? []);
    const afterSet = new Set(b?.rowDigests ?? []);
    const addedDigests = [...afterSet].filter((d) => !beforeSet.has(d));
    const removed = [...beforeSet].filter((d) => !afterSet.has(d)).length;
    let added: string[] = [];
    if (addedDigests.length && b) {
      const { rows } = await client.query<{ row: string }>(`SELECT t::text AS row FROM ${quoted(table)} t WHERE md5(t::text) = ANY($1) LIMIT 5`, [addedDigests]);
      added = rows.map((r) => r.row);
    }
    changes.push({ table, before: a?.rows ?? 0, after: b?.rows ?? 0, added, removed });
  }
  return changes;
}

/** Messages the services' outboxes have not published yet (work still under way). */
export async function outboxBacklog(client: Client): Promise<number> {
  const { rows } = await client.query<{ t: string }>(
    `SELECT table_schema || '.' || table_name AS t FROM information_schema.columns
      WHERE table_schema = ANY($1) AND table_name = 'outbox_message' AND column_name = 'published_at'`,
    [[...SERVICE_SCHEMAS]],
  );
  let backlog = 0;
  for (const { t } of rows) {
    const [{ n }] = (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoted(t)} WHERE published_at IS NULL`)).rows;
    backlog += n;
  }
  return backlog;
}

/**
 * Waits until the stored data stops moving (no outbox backlog, two equal fingerprints `gapMs`
 * apart) and returns that fingerprint. After `timeoutMs` it returns the latest one with the tables
 * that still changed between the last two looks (`moving`): their content cannot be pinned to the
 * fuzz, so they are left out of the comparison and named.
 */
export async function settledFingerprint(
  client: Client,
  { gapMs = 2_000, timeoutMs = 60_000 } = {},
): Promise<{ print: Fingerprint; settled: boolean; moving: string[]; waitedMs: number }> {
  const started = Date.now();
  let previous = await fingerprint(client);
  for (;;) {
    await new Promise((r) => setTimeout(r, gapMs));
    const current = await fingerprint(client);
    const moving = [...current.keys()].filter((t) => previous.get(t)?.digest !== current.get(t)?.digest);
    const backlog = await outboxBacklog(client);
    if (backlog === 0 && !moving.length) return { print: current, settled: true, moving, waitedMs: Date.now() - started };
    if (Date.now() - started > timeoutMs) return { print: current, settled: false, moving, waitedMs: Date.now() - started };
    previous = current;
  }
}

/** The comparison of two fingerprints, leaving out the tables that were moving on their own. */
export async function compareSettled(
  client: Client,
  before: { print: Fingerprint; moving: string[] },
  after: { print: Fingerprint; moving: string[] },
): Promise<{ changes: TableChange[]; compared: number; skipped: string[] }> {
  const skipped = [...new Set([...before.moving, ...after.moving])].sort();
  const keep = (print: Fingerprint) => new Map([...print].filter(([t]) => !skipped.includes(t)));
  const changes = await compare(client, keep(before.print), keep(after.print));
  return { changes, compared: keep(after.print).size, skipped };
}
