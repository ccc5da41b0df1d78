// Demo data for `npm start`: realistic demands in the bureau's own words, posted through the
// gateway like any client would. Written for this project; names and numbers are invented.
const DEMANDS = [
  {
    demandType: 'complaint', domain: 'wage-arrears', urgency: 'urgent', regionCode: '500112',
    title: '建筑工地拖欠农民工工资',
    content: '渝北区某安置房项目工地拖欠二十余名农民工三个月工资共计约四十万元，多次向劳务公司讨要无果，请求督促支付。',
    caller: { name: '李师傅', phone: '13983000001' }, employerName: '重庆某建筑劳务有限公司', peopleAffected: 23,
  },
  {
    demandType: 'consultation', domain: 'social-insurance', regionCode: '500103',
    title: '失业保险金申领条件',
    content: '本人在公司工作三年，上月被解除劳动合同，想咨询失业保险金怎么申领、需要准备哪些材料、能领多久。',
    caller: { name: '王女士', phone: '13512300002' },
  },
  {
    demandType: 'help', domain: 'social-security-card', regionCode: '500105',
    title: '社保卡遗失补办',
    content: '老人社保卡遗失，行动不便无法到网点，咨询能否线上挂失补办并邮寄到家。',
    caller: { name: '陈先生', phone: '023-67700003' },
  },
  {
    demandType: 'consultation', domain: 'employment', regionCode: 'LJXQ', channel: 'web',
    title: '高校毕业生就业补贴',
    content: '今年应届毕业生，在两江新区小微企业就业，想了解一次性就业补贴和社保补贴的申请条件和办理渠道。',
    caller: { name: '刘同学', phone: '18623000004' },
  },
  {
    demandType: 'report', domain: 'labour-relations', regionCode: '500106', channel: 'direct-report',
    title: '用人单位未签劳动合同',
    content: '沙坪坝区某餐饮企业招用员工超过一个月未签订书面劳动合同，也未缴纳社会保险，要求依法查处。',
    caller: { name: '赵女士', phone: '15123000005' }, employerName: '沙坪坝区某餐饮管理有限公司',
  },
  {
    demandType: 'suggestion', domain: 'business-environment', regionCode: '500108',
    title: '建议优化社保登记流程',
    content: '新开办企业办理社保登记仍需多次跑窗口，建议与营业执照办理实现一网通办、一次办结。',
    caller: { name: '孙经理', phone: '13608300006' },
  },
  {
    demandType: 'praise', domain: 'talent-personnel', regionCode: '500101', channel: 'letter-visit',
    title: '表扬职称评审窗口工作人员',
    content: '万州区人力社保局职称评审窗口工作人员耐心细致，帮我一次性补齐了申报材料，特此表扬。',
    caller: { name: '周工程师', phone: '13996200007' },
  },
  {
    demandType: 'complaint', domain: 'wage-arrears', urgency: 'urgent', regionCode: 'GXQ',
    title: '电子厂拖欠工资并停产',
    content: '高新区某电子厂突然停产，拖欠一百余名员工两个月工资，员工聚集在厂门口，请求尽快介入。',
    caller: { name: '吴先生', phone: '17783000008' }, employerName: '重庆某电子科技有限公司', peopleAffected: 120,
  },
];

export const DEMO_PASSWORD = 'Demo@12333';

/** Posts the demo demands through the gateway as the demo operator; returns the tickets created. */
export async function seedDemo(gateway, log) {
  const login = await fetch(`${gateway}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'operator', password: DEMO_PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`demo operator cannot log in (${login.status}): ${await login.text()}`);
  const { accessToken } = await login.json();
  const created = [];
  for (const demand of DEMANDS) {
    const answer = await fetch(`${gateway}/api/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify(demand),
    });
    const body = await answer.json();
    if (answer.status !== 201) throw new Error(`demo ticket refused (${answer.status}): ${JSON.stringify(body)}`);
    created.push(body);
  }
  log(`demo data: ${created.length} tickets received (${created[0].number} … ${created.at(-1).number})`);
  return created;
}
