import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager, In, Not, QueryFailedError } from 'typeorm';
import { toOffsetIso, uuidv7 } from '@hotline/contracts';
import { ApiError, toVersionView, VersionView } from '@hotline/platform';
import { Department } from '../departments/department.entity';
import { RoutingOutcome } from './decide-routing';
import { MunicipalMatter } from './municipal-matter.entity';
import { explainRouting } from './routing-engine.service';
import { REGION_PSEUDO_CODE, RoutingConfidence, RuleMatch, RuleTarget } from './routing-rule.model';
import { RuleChange, RoutingRuleSnapshot, RoutingRuleVersion } from './routing-rule-version.entity';
import { RoutingRule } from './routing-rule.entity';
import {
  CreateRoutingRuleRequest,
  RoutingDryRunRequest,
  RuleMatchRequest,
  RuleTargetRequest,
  UpdateRoutingRuleRequest,
} from './routing-rule.request.dto';

export interface RoutingRuleView {
  id: string;
  name: string;
  priority: number;
  active: boolean;
  match: RuleMatch;
  target: RuleTarget;
  coHandlerCodes: string[];
  confidence: RoutingConfidence;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

export type RoutingRuleVersionView = VersionView<RuleChange, RoutingRuleSnapshot>;

const notFound = () => new NotFoundException(['id: no such routing rule']);

const badRequest = (...message: string[]) =>
  new BadRequestException({ statusCode: 400, error: 'Bad Request', message } satisfies ApiError);

/** PostgreSQL's unique_violation: the partial index on active priorities, when two writers race. */
const UNIQUE_VIOLATION = '23505';

/**
 * 派单规则维护 — creating, changing and retiring routing rules, and the dry run. Each change bumps
 * the rule's version and writes its version row in the same transaction; new tickets are routed
 * by the rules as committed, and each decision names the rule id and version it used.
 */
@Injectable()
export class RoutingRulesService {
  constructor(private readonly dataSource: DataSource) {}

  /** Every rule, active ones first, in the order they are tried. */
  async list(): Promise<{ items: RoutingRuleView[]; total: number }> {
    const rules = await this.dataSource.getRepository(RoutingRule).find({
      order: { active: 'DESC', priority: 'ASC', id: 'ASC' },
    });
    return { items: rules.map(toView), total: rules.length };
  }

  async create(request: CreateRoutingRuleRequest, actor: string): Promise<RoutingRuleView> {
    return this.write(async (manager) => {
      const draft = {
        name: request.name,
        priority: request.priority,
        match: normaliseMatch(request.match),
        target: normaliseTarget(request.target),
        coHandlerCodes: request.coHandlerCodes ?? [],
        confidence: request.confidence,
      };
      await checkReferences(manager, draft.target, draft.coHandlerCodes);
      await checkPriorityFree(manager, draft.priority, null);
      const now = new Date();
      const rule: RoutingRule = {
        id: uuidv7(),
        ...draft,
        active: true,
        version: 1,
        createdAt: now,
        updatedAt: now,
        updatedBy: actor,
      };
      await manager.insert(RoutingRule, rule);
      await recordVersion(manager, rule, 'created');
      return toView(rule);
    });
  }

  /** Applies the given fields; nothing changed → the rule as it is, no new version. */
  async update(id: string, request: UpdateRoutingRuleRequest, actor: string): Promise<RoutingRuleView> {
    return this.write(async (manager) => {
      const rule = await lockRule(manager, id);
      if (request.version != null && request.version !== rule.version) {
        throw new ConflictException([`version: the rule is at version ${rule.version}; reload it and apply the change again`]);
      }
      if (!rule.active) throw new ConflictException(['id: the rule is retired; create a new rule instead']);
      const next = {
        name: request.name ?? rule.name,
        priority: request.priority ?? rule.priority,
        // null clears every condition; left out keeps them.
        match: request.match === undefined ? rule.match : normaliseMatch(request.match),
        target: request.target == null ? rule.target : normaliseTarget(request.target),
        coHandlerCodes: request.coHandlerCodes ?? rule.coHandlerCodes,
        confidence: request.confidence ?? rule.confidence,
      };
      const changed = (Object.keys(next) as (keyof typeof next)[]).some(
        (k) => canonical(next[k]) !== canonical(rule[k]),
      );
      if (!changed) return toView(rule);
      await checkReferences(manager, next.target, next.coHandlerCodes);
      if (next.priority !== rule.priority) await checkPriorityFree(manager, next.priority, rule.id);
      const now = new Date();
      const updated: RoutingRule = { ...rule, ...next, version: rule.version + 1, updatedAt: now, updatedBy: actor };
      await manager.update(RoutingRule, { id }, { ...next, version: updated.version, updatedAt: now, updatedBy: actor });
      await recordVersion(manager, updated, 'updated');
      return toView(updated);
    });
  }

  /** 停用 — the rule is never tried again; it and its versions stay readable. */
  async retire(id: string, actor: string): Promise<RoutingRuleView> {
    return this.write(async (manager) => {
      const rule = await lockRule(manager, id);
      if (!rule.active) throw new ConflictException(['id: the rule is already retired']);
      const now = new Date();
      const retired: RoutingRule = { ...rule, active: false, version: rule.version + 1, updatedAt: now, updatedBy: actor };
      await manager.update(RoutingRule, { id }, { active: false, version: retired.version, updatedAt: now, updatedBy: actor });
      await recordVersion(manager, retired, 'retired');
      return toView(retired);
    });
  }

  /** The rule's history, oldest first. */
  async versions(id: string): Promise<RoutingRuleVersionView[]> {
    if (!(await this.dataSource.getRepository(RoutingRule).existsBy({ id }))) throw notFound();
    const rows = await this.dataSource.getRepository(RoutingRuleVersion).find({
      where: { ruleId: id },
      order: { version: 'ASC' },
    });
    return rows.map(toVersionView);
  }

  /** Where would this ticket go and why — the committed rules, nothing written. */
  async dryRun(request: RoutingDryRunRequest): Promise<RoutingOutcome> {
    return explainRouting(this.dataSource.manager, {
      regionCode: request.regionCode,
      domain: request.domain,
      demandType: request.demandType,
      urgency: request.urgency ?? 'normal',
      categoryCode: request.categoryCode,
      title: request.title ?? '',
      content: request.content ?? '',
      peopleAffected: request.peopleAffected,
      employerName: request.employerName,
    });
  }

  /** The 基层减负 list: categories that belong to a municipal office. */
  async municipalMatters(): Promise<MunicipalMatter[]> {
    return this.dataSource.getRepository(MunicipalMatter).find({ order: { categoryPrefix: 'ASC' } });
  }

  /** A transaction whose unique-priority race (the loser of two concurrent writers) answers 409. */
  private async write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (err) {
      if (err instanceof QueryFailedError && (err.driverError as { code?: string })?.code === UNIQUE_VIOLATION) {
        throw new ConflictException(['priority: another active rule took this priority meanwhile; choose another']);
      }
      throw err;
    }
  }
}

/** JSON with object keys sorted: jsonb hands keys back in its own order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

function toView(rule: RoutingRule): RoutingRuleView {
  return {
    id: rule.id,
    name: rule.name,
    priority: rule.priority,
    active: rule.active,
    match: rule.match,
    target: rule.target,
    coHandlerCodes: rule.coHandlerCodes,
    confidence: rule.confidence,
    version: rule.version,
    createdAt: toOffsetIso(rule.createdAt),
    updatedAt: toOffsetIso(rule.updatedAt),
    updatedBy: rule.updatedBy,
  };
}

/** The conditions as stored: only those given, as plain data. */
export function normaliseMatch(request: RuleMatchRequest | null | undefined): RuleMatch {
  const match: RuleMatch = {};
  if (!request) return match;
  if (request.domains) match.domains = [...request.domains];
  if (request.categoryPrefixes) match.categoryPrefixes = [...request.categoryPrefixes];
  if (request.demandTypes) match.demandTypes = [...request.demandTypes];
  if (request.regionCodes) match.regionCodes = [...request.regionCodes];
  if (request.urgency) match.urgency = request.urgency;
  if (request.minPeopleAffected !== undefined && request.minPeopleAffected !== null) match.minPeopleAffected = request.minPeopleAffected;
  if (request.keywords) match.keywords = [...request.keywords];
  return match;
}

function normaliseTarget(request: RuleTargetRequest): RuleTarget {
  return request.mode === 'department'
    ? { mode: 'department', departmentCode: request.departmentCode as string }
    : { mode: 'region-bureau' };
}

/** The named departments exist and are active; a co-handler is not also the main department. */
async function checkReferences(manager: EntityManager, target: RuleTarget, coHandlerCodes: string[]): Promise<void> {
  const codes = [
    ...(target.mode === 'department' ? [target.departmentCode] : []),
    ...coHandlerCodes.filter((c) => c !== REGION_PSEUDO_CODE),
  ];
  const found = codes.length ? await manager.find(Department, { where: { code: In(codes) } }) : [];
  const byCode = new Map(found.map((d) => [d.code, d]));
  const problem = (code: string) => {
    const d = byCode.get(code);
    return !d ? `no department has the code ${code}` : !d.active ? `department ${code} (${d.name}) is inactive` : null;
  };
  const errors: string[] = [];
  if (target.mode === 'department') {
    const p = problem(target.departmentCode);
    if (p) errors.push(`target.departmentCode: ${p}`);
  }
  for (const code of coHandlerCodes) {
    if (code === REGION_PSEUDO_CODE) {
      if (target.mode === 'region-bureau') errors.push('coHandlerCodes: REGION is already the main department (target region-bureau)');
      continue;
    }
    if (target.mode === 'department' && code === target.departmentCode) {
      errors.push(`coHandlerCodes: ${code} is already the main department`);
      continue;
    }
    const p = problem(code);
    if (p) errors.push(`coHandlerCodes: ${p}`);
  }
  if (errors.length) throw badRequest(...errors);
}

async function checkPriorityFree(manager: EntityManager, priority: number, exceptId: string | null): Promise<void> {
  const holder = await manager.findOne(RoutingRule, {
    where: { active: true, priority, ...(exceptId ? { id: Not(exceptId) } : {}) },
  });
  if (holder) {
    throw new ConflictException([
      `priority: ${priority} is already used by the active rule "${holder.name}" (${holder.id}); each active rule needs its own priority`,
    ]);
  }
}

async function lockRule(manager: EntityManager, id: string): Promise<RoutingRule> {
  const rule = await manager.getRepository(RoutingRule).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  if (!rule) throw notFound();
  return rule;
}

async function recordVersion(manager: EntityManager, rule: RoutingRule, change: RuleChange): Promise<void> {
  const snapshot: RoutingRuleSnapshot = {
    name: rule.name,
    priority: rule.priority,
    active: rule.active,
    match: rule.match,
    target: rule.target,
    coHandlerCodes: rule.coHandlerCodes,
    confidence: rule.confidence,
  };
  // TypeORM's insert typing cannot express a jsonb column of a nested shape.
  await manager.insert(RoutingRuleVersion, {
    ruleId: rule.id,
    version: rule.version,
    change,
    snapshot,
    changedBy: rule.updatedBy,
    changedAt: rule.updatedAt,
  } as never);
}
