import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { toVersionView, VersionView } from '@hotline/platform';
import { DataSource, EntityManager } from 'typeorm';
import { uuidv7 } from '@hotline/contracts';
import { KnowledgeChange, KnowledgeEntryVersion } from './knowledge-entry-version.entity';
import { KnowledgeEntry } from './knowledge-entry.entity';
import { KnowledgeEntryView, shanghaiToday, snapshotOf, toEntryView } from './knowledge-entry.view';
import { ALL_ENTRIES_TERM } from './knowledge-term.entity';
import { entryTerms } from './knowledge-terms';
import { CreateKnowledgeEntryRequest, KnowledgeListQuery, UpdateKnowledgeEntryRequest } from './knowledge.request.dto';

export type KnowledgeVersionView = VersionView<KnowledgeChange, KnowledgeEntryVersion['snapshot']>;

const notFound = () => new NotFoundException(['id: no such knowledge entry']);

/**
 * 问答库维护 — creating, changing and retiring entries. Each change bumps the entry's version and
 * writes the version row in the same transaction, so the history is complete or nothing changed.
 */
@Injectable()
export class KnowledgeEntries {
  constructor(private readonly dataSource: DataSource) {}

  async create(request: CreateKnowledgeEntryRequest, actor: string): Promise<KnowledgeEntryView> {
    return this.dataSource.transaction((manager) => this.createIn(manager, request, actor));
  }

  /** Must be called inside the caller's transaction: the entry and its first version commit together. */
  async createIn(manager: EntityManager, request: CreateKnowledgeEntryRequest, actor: string): Promise<KnowledgeEntryView> {
    const [view] = await this.createManyIn(manager, [request], actor);
    return view;
  }

  /**
   * Several entries in two statements (entries, then their first versions); for seeding and bulk
   * loads. Must be called inside the caller's transaction. Keep batches to a few hundred entries
   * (PostgreSQL takes at most 65,535 parameters in one statement).
   */
  async createManyIn(manager: EntityManager, requests: CreateKnowledgeEntryRequest[], actor: string): Promise<KnowledgeEntryView[]> {
    if (!requests.length) return [];
    const now = new Date();
    const entries = requests.map((request): KnowledgeEntry => {
      checkValidity(request.validFrom, request.validTo ?? null);
      const keywords = request.keywords ?? [];
      return {
        id: uuidv7(),
        version: 1,
        question: request.question,
        answer: request.answer,
        domain: request.domain,
        keywords,
        validFrom: request.validFrom,
        validTo: request.validTo ?? null,
        source: request.source,
        active: true,
        ...termsOf(request.question, keywords, request.answer),
        createdAt: now,
        updatedAt: now,
        updatedBy: actor,
      };
    });
    await manager.insert(KnowledgeEntry, entries);
    await manager.insert(
      KnowledgeEntryVersion,
      entries.map((entry) => versionRow(entry, 'created', now)),
    );
    await countTerms(manager, entries.map((entry) => ({ entry, change: +1 })));
    const today = shanghaiToday(now);
    return entries.map((entry) => toEntryView(entry, today));
  }

  /** Applies the given fields; nothing changed → the entry as it is, no new version. */
  async update(id: string, request: UpdateKnowledgeEntryRequest, actor: string): Promise<KnowledgeEntryView> {
    return this.dataSource.transaction(async (manager) => {
      const entry = await lockEntry(manager, id);
      if (request.version !== undefined && request.version !== entry.version) {
        throw new ConflictException([`version: the entry is at version ${entry.version}; reload it and apply the change again`]);
      }
      if (!entry.active) throw new ConflictException(['id: the entry is retired; create a new entry instead']);
      const next = {
        question: request.question ?? entry.question,
        answer: request.answer ?? entry.answer,
        domain: request.domain ?? entry.domain,
        keywords: request.keywords ?? entry.keywords,
        validFrom: request.validFrom ?? entry.validFrom,
        validTo: request.validTo === undefined ? entry.validTo : request.validTo,
        source: request.source ?? entry.source,
      };
      checkValidity(next.validFrom, next.validTo);
      const changed = (Object.keys(next) as (keyof typeof next)[]).some(
        (k) => JSON.stringify(next[k]) !== JSON.stringify(entry[k]),
      );
      if (!changed) return toEntryView(entry, shanghaiToday());
      const now = new Date();
      const updated: KnowledgeEntry = {
        ...entry,
        ...next,
        ...termsOf(next.question, next.keywords, next.answer),
        version: entry.version + 1,
        updatedAt: now,
        updatedBy: actor,
      };
      await manager.update(KnowledgeEntry, { id }, {
        ...next,
        searchTerms: updated.searchTerms,
        termWeights: updated.termWeights,
        version: updated.version,
        updatedAt: now,
        updatedBy: actor,
      });
      await manager.insert(KnowledgeEntryVersion, versionRow(updated, 'updated', now));
      await countTerms(manager, [
        { entry, change: -1 },
        { entry: updated, change: +1 },
      ]);
      return toEntryView(updated, shanghaiToday(now));
    });
  }

  /** 废止 — the entry leaves the search for good; it and its versions stay readable. */
  async retire(id: string, actor: string): Promise<KnowledgeEntryView> {
    return this.dataSource.transaction(async (manager) => {
      const entry = await lockEntry(manager, id);
      if (!entry.active) throw new ConflictException(['id: the entry is already retired']);
      const now = new Date();
      const retired: KnowledgeEntry = { ...entry, active: false, version: entry.version + 1, updatedAt: now, updatedBy: actor };
      await manager.update(KnowledgeEntry, { id }, { active: false, version: retired.version, updatedAt: now, updatedBy: actor });
      await manager.insert(KnowledgeEntryVersion, versionRow(retired, 'retired', now));
      await countTerms(manager, [{ entry, change: -1 }]);
      return toEntryView(retired, shanghaiToday(now));
    });
  }

  async get(id: string): Promise<KnowledgeEntryView> {
    const entry = await this.dataSource.getRepository(KnowledgeEntry).findOneBy({ id });
    if (!entry) throw notFound();
    return toEntryView(entry, shanghaiToday());
  }

  async list(query: KnowledgeListQuery): Promise<{ items: KnowledgeEntryView[]; total: number }> {
    const where = {
      ...(query.domain ? { domain: query.domain } : {}),
      ...(query.active !== undefined ? { active: query.active } : {}),
    };
    const [entries, total] = await this.dataSource.getRepository(KnowledgeEntry).findAndCount({
      where,
      order: { updatedAt: 'DESC', id: 'ASC' },
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    });
    const today = shanghaiToday();
    return { items: entries.map((e) => toEntryView(e, today)), total };
  }

  /** The entry's history, oldest first. */
  async versions(id: string): Promise<KnowledgeVersionView[]> {
    if (!(await this.dataSource.getRepository(KnowledgeEntry).existsBy({ id }))) throw notFound();
    const rows = await this.dataSource.getRepository(KnowledgeEntryVersion).find({
      where: { entryId: id },
      order: { version: 'ASC' },
    });
    return rows.map(toVersionView);
  }

  /**
   * Inserts the entries when the table is empty (demo data), all or none. An advisory lock keeps
   * two replicas starting together from seeding twice. Returns how many were inserted.
   */
  async seedIfEmpty(entries: CreateKnowledgeEntryRequest[], actor: string): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('intake:knowledge-seed'))`);
      if (await manager.getRepository(KnowledgeEntry).exists()) return 0;
      await this.createManyIn(manager, entries, actor);
      return entries.length;
    });
  }
}

function termsOf(question: string, keywords: string[], answer: string): Pick<KnowledgeEntry, 'searchTerms' | 'termWeights'> {
  const { terms, weights } = entryTerms({ question, keywords, answer });
  return { searchTerms: terms, termWeights: weights };
}

async function lockEntry(manager: EntityManager, id: string): Promise<KnowledgeEntry> {
  const entry = await manager.getRepository(KnowledgeEntry).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  if (!entry) throw notFound();
  return entry;
}

function versionRow(entry: KnowledgeEntry, change: KnowledgeChange, at: Date): KnowledgeEntryVersion {
  return {
    entryId: entry.id,
    version: entry.version,
    change,
    snapshot: snapshotOf(entry),
    changedBy: entry.updatedBy,
    changedAt: at,
  };
}

/**
 * Keeps the document frequencies of knowledge_term in step with the active entries: +1 for each
 * term of an entry that becomes active, −1 for one that leaves, under the entry's domain; the ''
 * row counts entries. Must be called inside the caller's transaction. Rows are upserted in key
 * order, so two concurrent edits lock the rows they share in the same order and cannot deadlock.
 */
async function countTerms(manager: EntityManager, changes: { entry: KnowledgeEntry; change: 1 | -1 }[]): Promise<void> {
  const deltas = new Map<string, { term: string; domain: string; delta: number }>();
  for (const { entry, change } of changes) {
    for (const term of [ALL_ENTRIES_TERM, ...entry.searchTerms]) {
      const key = `${entry.domain}\u0000${term}`;
      const row = deltas.get(key) ?? { term, domain: entry.domain, delta: 0 };
      row.delta += change;
      deltas.set(key, row);
    }
  }
  const moved = [...deltas.values()].filter((d) => d.delta !== 0);
  if (!moved.length) return;
  await manager.query(
    `INSERT INTO intake.knowledge_term AS k (term, domain, entries)
     SELECT term, domain, delta FROM unnest($1::text[], $2::text[], $3::int[]) AS d (term, domain, delta)
      ORDER BY term, domain
     ON CONFLICT (term, domain) DO UPDATE SET entries = k.entries + excluded.entries`,
    [moved.map((d) => d.term), moved.map((d) => d.domain), moved.map((d) => d.delta)],
  );
}

/** The service's own check of what the DTO cannot see: an update's end date against the stored start. */
function checkValidity(validFrom: string, validTo: string | null): void {
  if (validTo !== null && validTo < validFrom) {
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: [`validTo: must be on or after validFrom (${validFrom})`],
    });
  }
}
