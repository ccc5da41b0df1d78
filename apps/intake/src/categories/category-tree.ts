import type { BusinessDomain } from '@hotline/contracts';

/** 诉求分类 — one node of the three-level category tree of the 人社 domain. */
export interface CategoryNode {
  code: string;
  name: string;
  domain: BusinessDomain;
  children?: CategoryNode[];
}

/**
 * The category tree every installation starts with (reference data, seeded by a migration,
 * administrators extend it). Codes are hierarchical: `JY` → `JY.01` → `JY.01.02`.
 */
export const CATEGORY_TREE: CategoryNode[] = [
  {
    code: 'JY', name: '就业创业', domain: 'employment', children: [
      { code: 'JY.01', name: '就业服务', domain: 'employment', children: [
        { code: 'JY.01.01', name: '求职登记与岗位推荐', domain: 'employment' },
        { code: 'JY.01.02', name: '失业登记', domain: 'employment' },
        { code: 'JY.01.03', name: '就业困难人员认定', domain: 'employment' },
      ] },
      { code: 'JY.02', name: '就业补贴', domain: 'employment', children: [
        { code: 'JY.02.01', name: '高校毕业生就业补贴', domain: 'employment' },
        { code: 'JY.02.02', name: '社会保险补贴', domain: 'employment' },
        { code: 'JY.02.03', name: '稳岗返还', domain: 'employment' },
      ] },
      { code: 'JY.03', name: '创业扶持', domain: 'employment', children: [
        { code: 'JY.03.01', name: '一次性创业补贴', domain: 'employment' },
        { code: 'JY.03.02', name: '创业担保贷款', domain: 'employment' },
      ] },
      { code: 'JY.04', name: '职业技能培训', domain: 'employment', children: [
        { code: 'JY.04.01', name: '技能提升补贴', domain: 'employment' },
        { code: 'JY.04.02', name: '职业技能等级认定', domain: 'employment' },
      ] },
    ],
  },
  {
    code: 'SB', name: '社会保险', domain: 'social-insurance', children: [
      { code: 'SB.01', name: '养老保险', domain: 'social-insurance', children: [
        { code: 'SB.01.01', name: '参保缴费', domain: 'social-insurance' },
        { code: 'SB.01.02', name: '关系转移接续', domain: 'social-insurance' },
        { code: 'SB.01.03', name: '退休待遇', domain: 'social-insurance' },
        { code: 'SB.01.04', name: '领取资格认证', domain: 'social-insurance' },
      ] },
      { code: 'SB.02', name: '失业保险', domain: 'social-insurance', children: [
        { code: 'SB.02.01', name: '失业保险金申领', domain: 'social-insurance' },
        { code: 'SB.02.02', name: '失业保险待遇停发', domain: 'social-insurance' },
      ] },
      { code: 'SB.03', name: '工伤保险', domain: 'social-insurance', children: [
        { code: 'SB.03.01', name: '工伤认定', domain: 'social-insurance' },
        { code: 'SB.03.02', name: '劳动能力鉴定', domain: 'social-insurance' },
        { code: 'SB.03.03', name: '工伤待遇', domain: 'social-insurance' },
      ] },
    ],
  },
  {
    code: 'SK', name: '社保卡', domain: 'social-security-card', children: [
      { code: 'SK.01', name: '办卡与换卡', domain: 'social-security-card', children: [
        { code: 'SK.01.01', name: '申领与激活', domain: 'social-security-card' },
        { code: 'SK.01.02', name: '挂失与补换', domain: 'social-security-card' },
      ] },
      { code: 'SK.02', name: '电子社保卡', domain: 'social-security-card', children: [
        { code: 'SK.02.01', name: '签发与使用', domain: 'social-security-card' },
      ] },
    ],
  },
  {
    code: 'RC', name: '人才人事', domain: 'talent-personnel', children: [
      { code: 'RC.01', name: '职称评审', domain: 'talent-personnel', children: [
        { code: 'RC.01.01', name: '申报条件', domain: 'talent-personnel' },
        { code: 'RC.01.02', name: '评审结果', domain: 'talent-personnel' },
      ] },
      { code: 'RC.02', name: '事业单位人事', domain: 'talent-personnel', children: [
        { code: 'RC.02.01', name: '公开招聘', domain: 'talent-personnel' },
        { code: 'RC.02.02', name: '人事考试', domain: 'talent-personnel' },
      ] },
      { code: 'RC.03', name: '人才服务', domain: 'talent-personnel', children: [
        { code: 'RC.03.01', name: '人才引进与落户', domain: 'talent-personnel' },
      ] },
    ],
  },
  {
    code: 'LD', name: '劳动关系', domain: 'labour-relations', children: [
      { code: 'LD.01', name: '劳动合同', domain: 'labour-relations', children: [
        { code: 'LD.01.01', name: '未签订书面劳动合同', domain: 'labour-relations' },
        { code: 'LD.01.02', name: '解除与经济补偿', domain: 'labour-relations' },
      ] },
      { code: 'LD.02', name: '工时与休假', domain: 'labour-relations', children: [
        { code: 'LD.02.01', name: '加班工资', domain: 'labour-relations' },
        { code: 'LD.02.02', name: '带薪年休假', domain: 'labour-relations' },
      ] },
      { code: 'LD.03', name: '劳动保障监察', domain: 'labour-relations', children: [
        { code: 'LD.03.01', name: '未依法缴纳社会保险', domain: 'labour-relations' },
        { code: 'LD.03.02', name: '最低工资', domain: 'labour-relations' },
      ] },
      { code: 'LD.04', name: '劳动人事争议', domain: 'labour-relations', children: [
        { code: 'LD.04.01', name: '调解仲裁咨询', domain: 'labour-relations' },
      ] },
    ],
  },
  {
    code: 'QX', name: '欠薪', domain: 'wage-arrears', children: [
      { code: 'QX.01', name: '工程建设领域', domain: 'wage-arrears', children: [
        { code: 'QX.01.01', name: '农民工工资拖欠', domain: 'wage-arrears' },
        { code: 'QX.01.02', name: '工资保证金与专户', domain: 'wage-arrears' },
      ] },
      { code: 'QX.02', name: '非工程建设领域', domain: 'wage-arrears', children: [
        { code: 'QX.02.01', name: '企业拖欠工资', domain: 'wage-arrears' },
        { code: 'QX.02.02', name: '停产停业欠薪', domain: 'wage-arrears' },
      ] },
    ],
  },
  {
    code: 'YS', name: '营商环境', domain: 'business-environment', children: [
      { code: 'YS.01', name: '政务服务', domain: 'business-environment', children: [
        { code: 'YS.01.01', name: '办事效率', domain: 'business-environment' },
        { code: 'YS.01.02', name: '一网通办', domain: 'business-environment' },
      ] },
      { code: 'YS.02', name: '涉企检查', domain: 'business-environment', children: [
        { code: 'YS.02.01', name: '检查与处罚', domain: 'business-environment' },
      ] },
    ],
  },
  {
    code: 'QT', name: '其他', domain: 'other', children: [
      { code: 'QT.01', name: '其他事项', domain: 'other', children: [
        { code: 'QT.01.01', name: '其他', domain: 'other' },
      ] },
    ],
  },
];

export interface CategoryRow {
  code: string;
  parentCode: string | null;
  level: 1 | 2 | 3;
  name: string;
  domain: BusinessDomain;
}

/** The tree as rows, parents before children. */
export function flattenCategories(nodes: CategoryNode[] = CATEGORY_TREE, parent: CategoryNode | null = null, level: 1 | 2 | 3 = 1): CategoryRow[] {
  return nodes.flatMap((n) => [
    { code: n.code, parentCode: parent?.code ?? null, level, name: n.name, domain: n.domain },
    ...flattenCategories(n.children ?? [], n, (level + 1) as 1 | 2 | 3),
  ]);
}
