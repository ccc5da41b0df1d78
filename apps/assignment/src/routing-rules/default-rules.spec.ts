import {
  BUSINESS_DOMAINS,
  BusinessDomain,
  DEMAND_TYPES,
  departmentCatalog,
  MUNICIPAL_OFFICES,
  REGIONS,
  URGENCIES,
} from '@hotline/contracts';
import type { RoutableTicket, RoutingDecision } from '../route-ticket/routing-decision';
import { decideRouting } from './decide-routing';
import { DEFAULT_ROUTING_RULES, MUNICIPAL_MATTERS, seededRuleId } from './default-rules';
import { CATEGORY_CODE_PATTERN, REGION_PSEUDO_CODE } from './routing-rule.model';

/**
 * The seeded rule set against an expectation written here, independently of the rules: every
 * region × domain × demand type × urgency × category (all three levels, and none) × wording
 * (plain, or saying arbitration is filed) × people affected (for wage arrears).
 */

/** The category tree intake seeds (apps/intake/src/categories/category-tree.ts), written out: assignment may not import intake. */
const CATEGORIES: Record<BusinessDomain, string[]> = {
  employment: [
    'JY', 'JY.01', 'JY.01.01', 'JY.01.02', 'JY.01.03', 'JY.02', 'JY.02.01', 'JY.02.02', 'JY.02.03',
    'JY.03', 'JY.03.01', 'JY.03.02', 'JY.04', 'JY.04.01', 'JY.04.02',
  ],
  'social-insurance': [
    'SB', 'SB.01', 'SB.01.01', 'SB.01.02', 'SB.01.03', 'SB.01.04', 'SB.02', 'SB.02.01', 'SB.02.02',
    'SB.03', 'SB.03.01', 'SB.03.02', 'SB.03.03',
  ],
  'social-security-card': ['SK', 'SK.01', 'SK.01.01', 'SK.01.02', 'SK.02', 'SK.02.01'],
  'talent-personnel': ['RC', 'RC.01', 'RC.01.01', 'RC.01.02', 'RC.02', 'RC.02.01', 'RC.02.02', 'RC.03', 'RC.03.01'],
  'labour-relations': [
    'LD', 'LD.01', 'LD.01.01', 'LD.01.02', 'LD.02', 'LD.02.01', 'LD.02.02', 'LD.03', 'LD.03.01', 'LD.03.02',
    'LD.04', 'LD.04.01',
  ],
  'wage-arrears': ['QX', 'QX.01', 'QX.01.01', 'QX.01.02', 'QX.02', 'QX.02.01', 'QX.02.02'],
  'business-environment': ['YS', 'YS.01', 'YS.01.01', 'YS.01.02', 'YS.02', 'YS.02.01'],
  other: ['QT', 'QT.01', 'QT.01.01'],
};

/** Which category goes where (市级事项 and the programmes run from the city). */
const BY_CATEGORY: { under: string; main: string; co: string[] }[] = [
  { under: 'RC.02.02', main: 'RSKS', co: [] }, // 人事考试 → 市人事考试中心
  { under: 'SK.02', main: 'SBKZX', co: [] }, // 电子社保卡 → 市社保卡服务中心
  { under: 'RC.03', main: 'RCB', co: [] }, // 人才引进 → 市人才工作办公室
  { under: 'JY.03.02', main: 'JYC', co: ['REGION'] }, // 创业担保贷款 → 就业处, district co-handles
];
const CITY_MATTERS = ['RC.02.02', 'SK.02', 'RC.03'];
const OFFICE_OF: Record<string, string> = { 'RC.02.02': 'RSKS', 'SK.02': 'SBKZX', 'RC.03': 'RCB' };

const PLAIN = { title: '政策咨询', content: '想了解办理条件和所需材料' };
const ARBITRATION = { title: '劳动争议', content: '单位拖欠经济补偿，此事仲裁已立案，想问问进度' };
const GROUP_THRESHOLD = 30;

type Outcome = { kind: 'assign'; main: string; co: string[] } | { kind: 'review'; suggested: string | null };

const under = (code: string | undefined, prefix: string) => !!code && (code === prefix || code.startsWith(`${prefix}.`));

function expected(t: RoutableTicket, wording: 'plain' | 'arbitration'): Outcome {
  const region = t.regionCode;
  const byCategory = BY_CATEGORY.find((c) => under(t.categoryCode, c.under));
  if (byCategory) {
    return { kind: 'assign', main: byCategory.main, co: byCategory.co.map((c) => (c === 'REGION' ? region : c)) };
  }
  if (t.domain === 'wage-arrears' && (t.peopleAffected ?? 0) >= GROUP_THRESHOLD) return { kind: 'assign', main: region, co: ['JCZD'] };
  if ((t.domain === 'labour-relations' || t.domain === 'wage-arrears') && wording === 'arbitration') {
    return { kind: 'review', suggested: region };
  }
  if (t.domain === 'other') return { kind: 'review', suggested: region };
  return { kind: 'assign', main: region, co: [] };
}

function observed(d: RoutingDecision): Outcome {
  return d.kind === 'assign'
    ? { kind: 'assign', main: d.main.code, co: d.coHandlers.map((c) => c.code) }
    : { kind: 'review', suggested: d.suggested?.code ?? null };
}

function* tickets(): Generator<{ ticket: RoutableTicket; wording: 'plain' | 'arbitration' }> {
  for (const region of REGIONS)
    for (const domain of BUSINESS_DOMAINS)
      for (const demandType of DEMAND_TYPES)
        for (const urgency of URGENCIES)
          for (const categoryCode of [undefined, ...CATEGORIES[domain]])
            for (const wording of ['plain', 'arbitration'] as const)
              for (const peopleAffected of domain === 'wage-arrears' ? [undefined, 1, 29, 30, 500] : [undefined]) {
                const text = wording === 'plain' ? PLAIN : ARBITRATION;
                yield {
                  ticket: { regionCode: region.code, domain, demandType, urgency, categoryCode, peopleAffected, ...text },
                  wording,
                };
              }
}

const departments = departmentCatalog().map((d) => ({ ...d, active: true }));

describe('the seeded routing rules over every region, domain, demand type and urgency', () => {
  it('the hand-written category table uses codes of the tree and offices that exist', () => {
    const offices = new Set(MUNICIPAL_OFFICES.map((o) => o.code));
    for (const codes of Object.values(CATEGORIES)) for (const c of codes) expect(c).toMatch(CATEGORY_CODE_PATTERN);
    for (const c of BY_CATEGORY) expect(offices.has(c.main)).toBe(true);
    expect(REGIONS).toHaveLength(41);
  });

  it('routes every generated ticket where the table says, and each seeded rule decides some of them', () => {
    const mismatches: string[] = [];
    const decidedBy = new Map<string, number>();
    let count = 0;
    for (const { ticket, wording } of tickets()) {
      count++;
      const { decision } = decideRouting(ticket, DEFAULT_ROUTING_RULES, departments, MUNICIPAL_MATTERS);
      if (decision.ruleId) decidedBy.set(decision.ruleId, (decidedBy.get(decision.ruleId) ?? 0) + 1);
      const want = expected(ticket, wording);
      const got = observed(decision);
      if (JSON.stringify(want) !== JSON.stringify(got) && mismatches.length < 20) {
        mismatches.push(`${JSON.stringify({ ...ticket, title: undefined, content: wording })}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(count).toBeGreaterThan(100_000);
    expect(DEFAULT_ROUTING_RULES.filter((r) => !decidedBy.get(r.id)).map((r) => r.name)).toEqual([]);
  });

  it('with the municipal rules retired, the 基层减负 guard keeps every municipal matter away from the districts', () => {
    const retired = new Set(['personnel-exam', 'electronic-card', 'talent-introduction'].map(seededRuleId));
    const rules = DEFAULT_ROUTING_RULES.map((r) => (retired.has(r.id) ? { ...r, active: false } : r));
    const mismatches: string[] = [];
    for (const { ticket, wording } of tickets()) {
      // No seeded rule looks at the demand type (the full run above shows it); two of them suffice here.
      if (ticket.demandType !== 'complaint' && ticket.demandType !== 'consultation') continue;
      const { decision } = decideRouting(ticket, rules, departments, MUNICIPAL_MATTERS);
      const matter = CITY_MATTERS.find((m) => under(ticket.categoryCode, m));
      const want: Outcome = matter ? { kind: 'review', suggested: OFFICE_OF[matter] } : expected(ticket, wording);
      const got = observed(decision);
      if (JSON.stringify(want) !== JSON.stringify(got) && mismatches.length < 20) {
        mismatches.push(`${ticket.regionCode} ${ticket.domain} ${ticket.categoryCode}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
      }
      if (got.kind === 'assign' && matter) mismatches.push(`${ticket.categoryCode} was assigned to ${got.main}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('the seed is well formed: unique ids and priorities, the default rule last, codes that exist', () => {
    const codes = new Set(departments.map((d) => d.code));
    expect(new Set(DEFAULT_ROUTING_RULES.map((r) => r.id)).size).toBe(DEFAULT_ROUTING_RULES.length);
    expect(new Set(DEFAULT_ROUTING_RULES.map((r) => r.priority)).size).toBe(DEFAULT_ROUTING_RULES.length);
    const last = [...DEFAULT_ROUTING_RULES].sort((a, b) => b.priority - a.priority)[0];
    expect(last).toEqual(expect.objectContaining({ match: {}, target: { mode: 'region-bureau' }, confidence: 'sure' }));
    for (const r of DEFAULT_ROUTING_RULES) {
      if (r.target.mode === 'department') expect(codes.has(r.target.departmentCode)).toBe(true);
      for (const c of r.coHandlerCodes) expect(c === REGION_PSEUDO_CODE || codes.has(c)).toBe(true);
      for (const p of r.match.categoryPrefixes ?? []) expect(p).toMatch(CATEGORY_CODE_PATTERN);
    }
    for (const m of MUNICIPAL_MATTERS) expect(codes.has(m.officeCode)).toBe(true);
  });
});
