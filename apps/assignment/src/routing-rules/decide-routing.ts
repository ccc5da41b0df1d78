import type { Department } from '../departments/department.entity';
import type { RoutableTicket, RoutedDepartment, RoutingDecision } from '../route-ticket/routing-decision';
import {
  categoryUnder,
  MunicipalMatterData,
  REGION_PSEUDO_CODE,
  RoutingRuleData,
  RuleMatch,
} from './routing-rule.model';

/** The department facts routing reads; inactive ones are passed too, so the trace can say why. */
export type RoutingDepartment = Pick<Department, 'id' | 'code' | 'name' | 'kind' | 'regionCode' | 'active'>;

/** One line of "why": a rule (or the 基层减负 guard), whether it matched, and what it saw. */
export interface RoutingTraceEntry {
  ruleId: string;
  name: string;
  matched: boolean;
  why: string;
}

export interface RoutingOutcome {
  decision: RoutingDecision;
  trace: RoutingTraceEntry[];
}

export const MUNICIPAL_MATTER_GUARD_ID = 'guard:municipal-matter';
const GUARD_NAME = '基层减负：市级事项不下派区县';

/**
 * 派单规则引擎 — where a ticket goes and why. Pure and deterministic: the active rules are tried
 * in priority order (lower first, id breaking ties) and the first that matches decides.
 *
 * - A target or co-handler that is inactive (or unknown) is never used: an inactive main
 *   department sends the ticket to the dispatcher's queue; an inactive co-handler is left out.
 * - `review` rules send the ticket to the dispatcher's queue with their target as suggestion.
 * - 基层减负 guard. Rule of thumb: a matter of a municipal office reaches a district bureau only
 *   when a rule chose it by its category. If the deciding rule sends the ticket to the region
 *   bureau without naming its category (the default rule, or a rule by domain, region, urgency…)
 *   and the category is on the municipal-matter list, the ticket goes to the dispatcher's queue
 *   with the responsible office suggested instead.
 */
export function decideRouting(
  ticket: RoutableTicket,
  rules: readonly RoutingRuleData[],
  departments: readonly RoutingDepartment[],
  municipalMatters: readonly MunicipalMatterData[],
): RoutingOutcome {
  const ordered = [...rules].sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const trace: RoutingTraceEntry[] = [];
  let winner: RoutingRuleData | undefined;
  for (const rule of ordered) {
    if (!rule.active) {
      trace.push({ ruleId: rule.id, name: rule.name, matched: false, why: '规则已停用' });
      continue;
    }
    const check = matchRule(rule.match, ticket);
    if (winner) {
      trace.push({
        ruleId: rule.id,
        name: rule.name,
        matched: check.matched,
        why: check.matched ? `也匹配（${check.why}），但规则「${winner.name}」优先` : check.why,
      });
      continue;
    }
    trace.push({ ruleId: rule.id, name: rule.name, matched: check.matched, why: check.matched ? `${check.why} → 采用` : check.why });
    if (check.matched) winner = rule;
  }

  const lookup = new DepartmentLookup(departments, ticket.regionCode);
  const matter = municipalMatterOf(ticket.categoryCode, municipalMatters);

  if (!winner) {
    const suggested = matter ? lookup.active(matter.officeCode) : lookup.regionBureau();
    return {
      decision: {
        kind: 'review',
        suggested: suggested ? routed(suggested) : null,
        ruleId: null,
        reason: matter
          ? `没有规则匹配；${matter.name}（${matter.categoryPrefix}）属市级事项，请派单员派单`
          : '没有规则匹配，请派单员派单',
      },
      trace,
    };
  }

  const label = `规则「${winner.name}」（v${winner.version}）`;
  const pushesDown = winner.target.mode === 'region-bureau' && !winner.match.categoryPrefixes?.length;
  if (pushesDown && ticket.categoryCode) {
    trace.push({
      ruleId: MUNICIPAL_MATTER_GUARD_ID,
      name: GUARD_NAME,
      matched: !!matter,
      why: matter
        ? `${ticket.categoryCode} 属市级事项「${matter.name}」（${matter.categoryPrefix}，责任单位 ${matter.officeCode}），${label}未按分类指定它 → 转派单员审核`
        : `${ticket.categoryCode} 不是市级事项`,
    });
  }
  if (pushesDown && matter) {
    const office = lookup.active(matter.officeCode);
    return {
      decision: {
        kind: 'review',
        suggested: office ? routed(office) : null,
        ruleId: winner.id,
        reason:
          `基层减负：${matter.name}（${matter.categoryPrefix}）属市级事项，不按${label}下派区县；` +
          (office ? `建议${office.name}承办，请派单员确认` : `责任单位 ${matter.officeCode} 已停用，请派单员派单`),
      },
      trace,
    };
  }

  const mainCode = winner.target.mode === 'department' ? winner.target.departmentCode : null;
  const main = mainCode === null ? lookup.regionBureau() : lookup.active(mainCode);
  if (!main) {
    const missing = mainCode ?? `${ticket.regionCode} 属地人力社保局`;
    return {
      decision: {
        kind: 'review',
        suggested: null,
        ruleId: winner.id,
        reason: `${label}：承办单位 ${missing} 已停用或不存在，请派单员派单`,
      },
      trace,
    };
  }

  const coHandlers: RoutedDepartment[] = [];
  const leftOut: string[] = [];
  for (const code of winner.coHandlerCodes) {
    const department = code === REGION_PSEUDO_CODE ? lookup.regionBureau() : lookup.active(code);
    if (!department) leftOut.push(code === REGION_PSEUDO_CODE ? `${ticket.regionCode} 属地人力社保局` : code);
    else if (department.id !== main.id && !coHandlers.some((c) => c.id === department.id)) coHandlers.push(routed(department));
  }
  const coText = coHandlers.length ? `，${coHandlers.map((c) => c.name).join('、')}协办` : '';
  const leftOutText = leftOut.length ? `（协办单位 ${leftOut.join('、')} 已停用，未列入）` : '';

  if (winner.confidence === 'sure') {
    return {
      decision: {
        kind: 'assign',
        main: routed(main),
        coHandlers,
        ruleId: winner.id,
        ruleVersion: winner.version,
        reason: `${label}：${main.name}主办${coText}${leftOutText}`,
      },
      trace,
    };
  }
  return {
    decision: {
      kind: 'review',
      suggested: routed(main),
      ruleId: winner.id,
      reason: `${label}：请派单员确认，建议${main.name}主办${coText}${leftOutText}`,
    },
    trace,
  };
}

/** Whether every condition of `match` holds, and in words which did or which did not. */
export function matchRule(match: RuleMatch, ticket: RoutableTicket): { matched: boolean; why: string } {
  const held: string[] = [];
  const failed: string[] = [];
  const check = (ok: boolean, yes: string, no: string) => (ok ? held : failed).push(ok ? yes : no);

  if (match.domains?.length) {
    check(match.domains.includes(ticket.domain), `领域 ${ticket.domain}`, `领域 ${ticket.domain} 不在 [${match.domains.join(', ')}]`);
  }
  if (match.categoryPrefixes?.length) {
    const hit = match.categoryPrefixes.find((p) => categoryUnder(ticket.categoryCode, p));
    check(
      !!hit,
      `分类 ${ticket.categoryCode} 属 ${hit}`,
      ticket.categoryCode
        ? `分类 ${ticket.categoryCode} 不属 [${match.categoryPrefixes.join(', ')}]`
        : `工单没有分类（规则要求 [${match.categoryPrefixes.join(', ')}]）`,
    );
  }
  if (match.demandTypes?.length) {
    check(
      match.demandTypes.includes(ticket.demandType),
      `诉求类型 ${ticket.demandType}`,
      `诉求类型 ${ticket.demandType} 不在 [${match.demandTypes.join(', ')}]`,
    );
  }
  if (match.regionCodes?.length) {
    check(
      match.regionCodes.includes(ticket.regionCode),
      `区县 ${ticket.regionCode}`,
      `区县 ${ticket.regionCode} 不在 [${match.regionCodes.join(', ')}]`,
    );
  }
  if (match.urgency) {
    check(match.urgency === ticket.urgency, `紧急程度 ${ticket.urgency}`, `紧急程度 ${ticket.urgency} ≠ ${match.urgency}`);
  }
  if (match.minPeopleAffected !== undefined && match.minPeopleAffected !== null) {
    const people = ticket.peopleAffected;
    check(
      people !== undefined && people !== null && people >= match.minPeopleAffected,
      `涉及 ${people} 人 ≥ ${match.minPeopleAffected}`,
      people === undefined || people === null
        ? `未填涉及人数（规则要求 ≥ ${match.minPeopleAffected}）`
        : `涉及 ${people} 人 < ${match.minPeopleAffected}`,
    );
  }
  if (match.keywords?.length) {
    const text = `${ticket.title ?? ''}\n${ticket.content ?? ''}`.toLowerCase();
    const hit = match.keywords.find((k) => text.includes(k.toLowerCase()));
    check(!!hit, `含关键词「${hit}」`, `标题和内容不含 [${match.keywords.join('、')}]`);
  }

  if (failed.length) return { matched: false, why: failed.join('；') };
  return { matched: true, why: held.length ? held.join('；') : '无条件（兜底）' };
}

/** The most specific municipal matter the category lies under, if any. */
export function municipalMatterOf(
  categoryCode: string | undefined | null,
  matters: readonly MunicipalMatterData[],
): MunicipalMatterData | undefined {
  return matters
    .filter((m) => categoryUnder(categoryCode, m.categoryPrefix))
    .sort((a, b) => b.categoryPrefix.length - a.categoryPrefix.length)[0];
}

class DepartmentLookup {
  private readonly byCode: Map<string, RoutingDepartment>;
  private readonly bureau: RoutingDepartment | undefined;

  constructor(departments: readonly RoutingDepartment[], regionCode: string) {
    this.byCode = new Map(departments.map((d) => [d.code, d]));
    this.bureau = departments.find((d) => d.active && d.kind === 'region-bureau' && d.regionCode === regionCode);
  }

  /** The department with this code if it exists and is active. */
  active(code: string): RoutingDepartment | undefined {
    const d = this.byCode.get(code);
    return d?.active ? d : undefined;
  }

  /** The active bureau of the ticket's region. */
  regionBureau(): RoutingDepartment | undefined {
    return this.bureau;
  }
}

function routed(d: RoutingDepartment): RoutedDepartment {
  return { id: d.id, code: d.code, name: d.name };
}
