import { createHash } from 'node:crypto';
import type { MunicipalMatterData, RoutingRuleData } from './routing-rule.model';

/**
 * The routing rules and the municipal-matter list every installation starts with: reference data
 * seeded by the migration 1764200000000-routing-rules (not demo data). Administrators change the
 * rules from then on through /api/admin/routing-rules; a change to this file after release
 * reaches existing installations only through a new migration.
 */

/** A stable id per seeded rule (name-based UUID, version 5 layout), the same in every environment. */
export function seededRuleId(key: string): string {
  const hash = createHash('sha1').update(`hotline:routing-rule:${key}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Words that say a labour or personnel dispute is already before an arbitration commission or a court. */
export const ARBITRATION_FILED_KEYWORDS = [
  '仲裁已立案',
  '已申请仲裁',
  '已经申请仲裁',
  '已提起仲裁',
  '仲裁已受理',
  '仲裁委已受理',
  '已起诉',
  '法院已立案',
];

const rule = (key: string, data: Omit<RoutingRuleData, 'id' | 'active' | 'version'>): RoutingRuleData => ({
  id: seededRuleId(key),
  active: true,
  version: 1,
  ...data,
});

/** Priorities leave gaps of 100 so an administrator can slot a rule in between. */
export const DEFAULT_ROUTING_RULES: readonly RoutingRuleData[] = Object.freeze([
  rule('personnel-exam', {
    name: '人事考试 → 市人事考试中心',
    priority: 100,
    match: { categoryPrefixes: ['RC.02.02'] },
    target: { mode: 'department', departmentCode: 'RSKS' },
    coHandlerCodes: [],
    confidence: 'sure',
  }),
  rule('electronic-card', {
    name: '电子社保卡 → 市社会保障卡服务中心',
    priority: 200,
    match: { categoryPrefixes: ['SK.02'] },
    target: { mode: 'department', departmentCode: 'SBKZX' },
    coHandlerCodes: [],
    confidence: 'sure',
  }),
  rule('talent-introduction', {
    name: '人才引进与落户 → 市人才工作办公室',
    priority: 300,
    match: { categoryPrefixes: ['RC.03'] },
    target: { mode: 'department', departmentCode: 'RCB' },
    coHandlerCodes: [],
    confidence: 'sure',
  }),
  rule('startup-guaranteed-loan', {
    // The loan is a municipal programme, but the applicant's file sits with the district.
    name: '创业担保贷款 → 市就业处主办，属地人力社保局协办',
    priority: 400,
    match: { categoryPrefixes: ['JY.03.02'] },
    target: { mode: 'department', departmentCode: 'JYC' },
    coHandlerCodes: ['REGION'],
    confidence: 'sure',
  }),
  rule('group-wage-arrears', {
    // 群体性欠薪: the district acts on the spot, the inspection corps (监察总队) follows it up.
    name: '群体性欠薪（30人及以上）→ 属地人力社保局主办，市劳动保障监察总队协办',
    priority: 500,
    match: { domains: ['wage-arrears'], minPeopleAffected: 30 },
    target: { mode: 'region-bureau' },
    coHandlerCodes: ['JCZD'],
    confidence: 'sure',
  }),
  rule('arbitration-filed', {
    // Arbitration already filed or a lawsuit pending is out of the hotline's scope (DOMAIN.md):
    // a dispatcher decides whether to refer it back rather than dispatch it.
    name: '已进入仲裁或诉讼的劳动人事争议 → 派单员审核',
    priority: 600,
    match: { domains: ['labour-relations', 'wage-arrears'], keywords: ARBITRATION_FILED_KEYWORDS },
    target: { mode: 'region-bureau' },
    coHandlerCodes: [],
    confidence: 'review',
  }),
  rule('domain-other', {
    name: '其他事项 → 派单员审核（建议属地人力社保局）',
    priority: 700,
    match: { domains: ['other'] },
    target: { mode: 'region-bureau' },
    coHandlerCodes: [],
    confidence: 'review',
  }),
  rule('default-region-bureau', {
    name: '默认规则：属地人力社保局承办',
    priority: 10000,
    match: {},
    target: { mode: 'region-bureau' },
    coHandlerCodes: [],
    confidence: 'sure',
  }),
]);

/** 市级事项 — categories a district bureau never receives unless a rule names the category. */
export const MUNICIPAL_MATTERS: readonly MunicipalMatterData[] = Object.freeze([
  { categoryPrefix: 'RC.02.02', name: '人事考试', officeCode: 'RSKS' },
  { categoryPrefix: 'SK.02', name: '电子社保卡', officeCode: 'SBKZX' },
  { categoryPrefix: 'RC.03', name: '人才引进与落户', officeCode: 'RCB' },
]);
