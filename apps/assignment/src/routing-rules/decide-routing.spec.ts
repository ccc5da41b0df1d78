import { departmentCatalog, departmentId } from '@hotline/contracts';
import type { RoutableTicket, RoutingDecision } from '../route-ticket/routing-decision';
import { decideRouting, matchRule, MUNICIPAL_MATTER_GUARD_ID, RoutingDepartment } from './decide-routing';
import { DEFAULT_ROUTING_RULES, MUNICIPAL_MATTERS, seededRuleId } from './default-rules';
import type { RoutingRuleData } from './routing-rule.model';

const catalog: RoutingDepartment[] = departmentCatalog().map((d) => ({ ...d, active: true }));
const YUZHONG = '500103';
const WANZHOU = '500101';

function ticket(overrides: Partial<RoutableTicket> = {}): RoutableTicket {
  return {
    regionCode: YUZHONG,
    domain: 'employment',
    demandType: 'consultation',
    urgency: 'normal',
    title: '咨询',
    content: '想了解相关政策',
    ...overrides,
  };
}

function rule(overrides: Partial<RoutingRuleData> & Pick<RoutingRuleData, 'id' | 'priority'>): RoutingRuleData {
  return {
    name: overrides.id,
    active: true,
    match: {},
    target: { mode: 'region-bureau' },
    coHandlerCodes: [],
    confidence: 'sure',
    version: 1,
    ...overrides,
  };
}

const without = (code: string) => catalog.map((d) => (d.code === code ? { ...d, active: false } : d));
const seeded = (key: string) => seededRuleId(key);
const dept = (code: string) => ({ id: departmentId(code), code, name: catalog.find((d) => d.code === code)?.name });

/** Given the seeded rules and departments (or others), when this ticket is routed. */
function route(
  t: RoutableTicket,
  { rules = DEFAULT_ROUTING_RULES, departments = catalog, matters = MUNICIPAL_MATTERS } = {},
) {
  return decideRouting(t, rules, departments, matters);
}

function assigned(decision: RoutingDecision) {
  if (decision.kind !== 'assign') throw new Error(`expected an assignment, got review: ${decision.reason}`);
  return decision;
}

function reviewed(decision: RoutingDecision) {
  if (decision.kind !== 'review') throw new Error(`expected review, got assignment to ${decision.main.code}`);
  return decision;
}

describe('decideRouting with the seeded rules', () => {
  it('given a 人事考试 ticket, when routed, then 市人事考试中心 handles it, whatever the region', () => {
    const d = assigned(route(ticket({ domain: 'talent-personnel', categoryCode: 'RC.02.02', regionCode: WANZHOU })).decision);
    expect(d.main).toEqual(dept('RSKS'));
    expect(d.coHandlers).toEqual([]);
    expect(d.ruleId).toBe(seeded('personnel-exam'));
    expect(d.ruleVersion).toBe(1);
    expect(d.reason).toContain('市人事考试中心主办');
  });

  it('given an 电子社保卡 ticket (SK.02.01), when routed, then the card centre handles it', () => {
    const d = assigned(route(ticket({ domain: 'social-security-card', categoryCode: 'SK.02.01' })).decision);
    expect(d.main.code).toBe('SBKZX');
  });

  it('given a 社保卡 ticket outside SK.02 (SK.01.02 挂失), when routed, then the region bureau handles it', () => {
    const d = assigned(route(ticket({ domain: 'social-security-card', categoryCode: 'SK.01.02' })).decision);
    expect(d.main.code).toBe(YUZHONG);
    expect(d.ruleId).toBe(seeded('default-region-bureau'));
  });

  it('given a 人才引进 ticket (RC.03.01), when routed, then 市人才工作办公室 handles it', () => {
    const d = assigned(route(ticket({ domain: 'talent-personnel', categoryCode: 'RC.03.01' })).decision);
    expect(d.main.code).toBe('RCB');
  });

  it('given a 创业担保贷款 ticket, when routed, then 就业处 is main and the region bureau co-handles', () => {
    const d = assigned(route(ticket({ categoryCode: 'JY.03.02', regionCode: WANZHOU })).decision);
    expect(d.main.code).toBe('JYC');
    expect(d.coHandlers).toEqual([dept(WANZHOU)]);
    expect(d.reason).toContain('万州区人力社保局协办');
  });

  it('given a group wage-arrears ticket of 30 people, when routed, then the region bureau is main and 监察总队 co-handles', () => {
    const d = assigned(
      route(ticket({ domain: 'wage-arrears', categoryCode: 'QX.01.01', peopleAffected: 30, demandType: 'report', urgency: 'urgent' }))
        .decision,
    );
    expect(d.main.code).toBe(YUZHONG);
    expect(d.coHandlers.map((c) => c.code)).toEqual(['JCZD']);
    expect(d.ruleId).toBe(seeded('group-wage-arrears'));
  });

  it('given wage arrears of 29 people or an unknown number, when routed, then only the region bureau (default rule)', () => {
    for (const peopleAffected of [29, undefined]) {
      const d = assigned(route(ticket({ domain: 'wage-arrears', peopleAffected })).decision);
      expect(d.ruleId).toBe(seeded('default-region-bureau'));
      expect(d.coHandlers).toEqual([]);
    }
  });

  it('given a labour dispute already before arbitration, when routed, then the dispatcher reviews it with the region bureau suggested', () => {
    const outcome = route(ticket({ domain: 'labour-relations', categoryCode: 'LD.04.01', content: '公司拖欠经济补偿，我已申请仲裁，想问进度' }));
    const d = reviewed(outcome.decision);
    expect(d.suggested?.code).toBe(YUZHONG);
    expect(d.ruleId).toBe(seeded('arbitration-filed'));
    expect(outcome.trace.find((t) => t.ruleId === seeded('arbitration-filed'))?.why).toContain('已申请仲裁');
  });

  it('given a labour dispute without arbitration words, when routed, then the region bureau handles it', () => {
    const d = assigned(route(ticket({ domain: 'labour-relations', content: '单位不签劳动合同' })).decision);
    expect(d.main.code).toBe(YUZHONG);
  });

  it('given a ticket of the domain other, when routed, then the dispatcher reviews it with the region bureau suggested', () => {
    const d = reviewed(route(ticket({ domain: 'other', categoryCode: 'QT.01.01' })).decision);
    expect(d.suggested).toEqual(dept(YUZHONG));
    expect(d.ruleId).toBe(seeded('domain-other'));
  });

  it('given any other ticket, when routed, then the default rule sends it to its region bureau', () => {
    const d = assigned(route(ticket({ domain: 'social-insurance', categoryCode: 'SB.02.01', regionCode: WANZHOU })).decision);
    expect(d.main).toEqual(dept(WANZHOU));
    expect(d.reason).toBe('规则「默认规则：属地人力社保局承办」（v1）：万州区人力社保局主办');
  });

  it('traces every rule in priority order and says which one decided', () => {
    const { trace } = route(ticket({ domain: 'social-insurance', categoryCode: 'SB.02.01' }));
    expect(trace.map((t) => t.ruleId)).toEqual([...DEFAULT_ROUTING_RULES.map((r) => r.id), MUNICIPAL_MATTER_GUARD_ID]);
    expect(trace.filter((t) => t.matched).map((t) => t.ruleId)).toEqual([seeded('default-region-bureau')]);
    expect(trace[0].why).toBe('分类 SB.02.01 不属 [RC.02.02]');
    expect(trace.at(-2)?.why).toBe('无条件（兜底） → 采用');
    expect(trace.at(-1)).toEqual(expect.objectContaining({ matched: false, why: 'SB.02.01 不是市级事项' }));
  });
});

describe('基层减负 guard', () => {
  const withoutExamRule = DEFAULT_ROUTING_RULES.filter((r) => r.id !== seeded('personnel-exam'));

  it('given the 人事考试 rule is gone, when a 人事考试 ticket falls to the default rule, then it is not sent to the district: review with 人事考试中心 suggested', () => {
    const outcome = route(ticket({ domain: 'talent-personnel', categoryCode: 'RC.02.02' }), { rules: withoutExamRule });
    const d = reviewed(outcome.decision);
    expect(d.suggested).toEqual(dept('RSKS'));
    expect(d.ruleId).toBe(seeded('default-region-bureau'));
    expect(d.reason).toContain('基层减负');
    expect(outcome.trace.at(-1)).toEqual(expect.objectContaining({ ruleId: MUNICIPAL_MATTER_GUARD_ID, matched: true }));
  });

  it('given a rule catching a municipal matter by domain only, when it would send it to the district, then the guard holds too', () => {
    const byDomain = rule({ id: 'talent-to-districts', priority: 50, match: { domains: ['talent-personnel'] } });
    const d = reviewed(route(ticket({ domain: 'talent-personnel', categoryCode: 'RC.03.01' }), { rules: [byDomain] }).decision);
    expect(d.suggested?.code).toBe('RCB');
  });

  it('given a rule that names the category, when it sends a municipal matter to the district, then that choice stands', () => {
    const byCategory = rule({ id: 'exam-to-districts', priority: 50, match: { categoryPrefixes: ['RC.02'] } });
    const d = assigned(route(ticket({ domain: 'talent-personnel', categoryCode: 'RC.02.02' }), { rules: [byCategory] }).decision);
    expect(d.main.code).toBe(YUZHONG);
  });

  it('given no rule matches at all, when a municipal matter arrives, then review with the office suggested', () => {
    const d = reviewed(route(ticket({ domain: 'social-security-card', categoryCode: 'SK.02.01' }), { rules: [] }).decision);
    expect(d).toEqual(expect.objectContaining({ ruleId: null, suggested: dept('SBKZX') }));
  });

  it('given a category that is not a municipal matter, when it falls to the default rule, then the trace says so and it is assigned', () => {
    const outcome = route(ticket({ domain: 'talent-personnel', categoryCode: 'RC.02.01' }), { rules: withoutExamRule });
    expect(assigned(outcome.decision).main.code).toBe(YUZHONG);
    expect(outcome.trace.at(-1)).toEqual(expect.objectContaining({ ruleId: MUNICIPAL_MATTER_GUARD_ID, matched: false }));
  });

  it('given the list says SK.02 but the ticket is SK.020 (not under it), then the guard does not apply', () => {
    expect(matchRule({ categoryPrefixes: ['SK.02'] }, ticket({ categoryCode: 'SK.020' })).matched).toBe(false);
  });
});

describe('inactive departments are never targets', () => {
  it('given 人事考试中心 is inactive, when a 人事考试 ticket is routed, then review without a suggestion (not the district)', () => {
    const d = reviewed(route(ticket({ domain: 'talent-personnel', categoryCode: 'RC.02.02' }), { departments: without('RSKS') }).decision);
    expect(d.suggested).toBeNull();
    expect(d.ruleId).toBe(seeded('personnel-exam'));
    expect(d.reason).toContain('RSKS 已停用');
  });

  it('given the region bureau is inactive, when the default rule decides, then review without a suggestion', () => {
    const d = reviewed(route(ticket(), { departments: without(YUZHONG) }).decision);
    expect(d.suggested).toBeNull();
  });

  it('given 监察总队 is inactive, when group wage arrears are routed, then the bureau handles alone and the reason says who is left out', () => {
    const d = assigned(route(ticket({ domain: 'wage-arrears', peopleAffected: 80 }), { departments: without('JCZD') }).decision);
    expect(d.coHandlers).toEqual([]);
    expect(d.reason).toContain('协办单位 JCZD 已停用');
  });

  it('given a municipal matter whose office is inactive, when the guard holds, then review without a suggestion', () => {
    const rules = DEFAULT_ROUTING_RULES.filter((r) => r.id !== seeded('electronic-card'));
    const d = reviewed(route(ticket({ domain: 'social-security-card', categoryCode: 'SK.02.01' }), { rules, departments: without('SBKZX') }).decision);
    expect(d.suggested).toBeNull();
  });
});

describe('priority order, retirement and co-handlers', () => {
  it('tries lower priority first regardless of the order given, and notes a later rule that also matched', () => {
    const late = rule({ id: 'b-late', priority: 20, target: { mode: 'department', departmentCode: 'FWZX' } });
    const early = rule({ id: 'a-early', priority: 10, target: { mode: 'department', departmentCode: 'JYC' } });
    const outcome = route(ticket(), { rules: [late, early] });
    expect(assigned(outcome.decision).main.code).toBe('JYC');
    expect(outcome.trace.map((t) => [t.ruleId, t.matched])).toEqual([
      ['a-early', true],
      ['b-late', true],
    ]);
    expect(outcome.trace[1].why).toContain('但规则「a-early」优先');
  });

  it('is deterministic: equal priorities (only possible among drafts) are ordered by id', () => {
    const x = rule({ id: 'x', priority: 10, target: { mode: 'department', departmentCode: 'FWZX' } });
    const y = rule({ id: 'y', priority: 10, target: { mode: 'department', departmentCode: 'JYC' } });
    expect(assigned(route(ticket(), { rules: [y, x] }).decision).main.code).toBe('FWZX');
    expect(assigned(route(ticket(), { rules: [x, y] }).decision).main.code).toBe('FWZX');
  });

  it('skips an inactive rule and traces it as retired', () => {
    const retired = rule({ id: 'retired', priority: 1, active: false, target: { mode: 'department', departmentCode: 'JYC' } });
    const outcome = route(ticket(), { rules: [retired, ...DEFAULT_ROUTING_RULES] });
    expect(assigned(outcome.decision).main.code).toBe(YUZHONG);
    expect(outcome.trace[0]).toEqual({ ruleId: 'retired', name: 'retired', matched: false, why: '规则已停用' });
  });

  it('resolves REGION to the region bureau, drops duplicates and the main department from the co-handlers', () => {
    const r = rule({
      id: 'co',
      priority: 1,
      version: 4,
      target: { mode: 'department', departmentCode: 'LDGXC' },
      coHandlerCodes: ['REGION', 'JCZD', WANZHOU, 'LDGXC', 'REGION'],
    });
    const d = assigned(route(ticket({ regionCode: WANZHOU }), { rules: [r] }).decision);
    expect(d.coHandlers.map((c) => c.code)).toEqual([WANZHOU, 'JCZD']);
    expect(d.ruleVersion).toBe(4);
  });

  it('a review rule suggests its target and names its co-handlers in the reason', () => {
    const r = rule({ id: 'rv', priority: 1, confidence: 'review', coHandlerCodes: ['JCZD'] });
    const d = reviewed(route(ticket(), { rules: [r] }).decision);
    expect(d.suggested?.code).toBe(YUZHONG);
    expect(d.reason).toContain('市劳动保障监察总队协办');
  });

  it('with no rules and no municipal matter, the dispatcher gets the region bureau as suggestion', () => {
    const d = reviewed(route(ticket(), { rules: [] }).decision);
    expect(d).toEqual(expect.objectContaining({ ruleId: null, suggested: dept(YUZHONG) }));
  });
});

describe('matchRule conditions (AND-ed)', () => {
  const t = ticket({ domain: 'wage-arrears', regionCode: WANZHOU, demandType: 'report', urgency: 'urgent', peopleAffected: 12, title: '讨薪', content: '工地老板跑路' });

  it.each([
    [{ domains: ['wage-arrears' as const] }, true],
    [{ domains: ['employment' as const] }, false],
    [{ regionCodes: [WANZHOU] }, true],
    [{ regionCodes: [YUZHONG] }, false],
    [{ demandTypes: ['report' as const, 'complaint' as const] }, true],
    [{ demandTypes: ['consultation' as const] }, false],
    [{ urgency: 'urgent' as const }, true],
    [{ urgency: 'normal' as const }, false],
    [{ minPeopleAffected: 12 }, true],
    [{ minPeopleAffected: 13 }, false],
    [{ keywords: ['跑路'] }, true],
    [{ keywords: ['仲裁'] }, false],
    [{ categoryPrefixes: ['QX'] }, false],
    [{ domains: ['wage-arrears' as const], urgency: 'normal' as const }, false],
  ])('%j → %s', (match, expected) => {
    expect(matchRule(match, t).matched).toBe(expected);
  });

  it('matches keywords without regard to case, in the title too', () => {
    expect(matchRule({ keywords: ['app'] }, ticket({ title: '电子社保卡APP无法登录', content: '' })).matched).toBe(true);
  });

  it('lists every failed condition', () => {
    expect(matchRule({ domains: ['other'], urgency: 'urgent' }, ticket()).why).toBe('领域 employment 不在 [other]；紧急程度 normal ≠ urgent');
  });
});
