/**
 * Chinese and English names of the API's wire values (API.md "Wire values"). The wire values
 * stay English and stable; the console only ever shows these names.
 */
export type Names = Record<string, readonly [string, string]>;

export const DEMAND_TYPES: Names = {
  consultation: ['咨询', 'Consultation'],
  help: ['求助', 'Help'],
  complaint: ['投诉', 'Complaint'],
  report: ['举报', 'Report'],
  suggestion: ['建议', 'Suggestion'],
  praise: ['表扬', 'Praise'],
};

export const DOMAINS: Names = {
  employment: ['就业创业', 'Employment'],
  'social-insurance': ['社会保险', 'Social insurance'],
  'social-security-card': ['社保卡', 'Social security card'],
  'talent-personnel': ['人才人事', 'Talent & personnel'],
  'labour-relations': ['劳动关系', 'Labour relations'],
  'wage-arrears': ['欠薪', 'Wage arrears'],
  'business-environment': ['营商环境', 'Business environment'],
  other: ['其他', 'Other'],
};

export const URGENCIES: Names = { normal: ['一般', 'Normal'], urgent: ['紧急', 'Urgent'] };

export const CHANNELS: Names = {
  phone: ['12333 电话', '12333 phone'],
  web: ['网络问政', 'Web portal'],
  'direct-report': ['直报点', 'Direct-report point'],
  'letter-visit': ['来信来访', 'Letter / visit'],
  partner: ['合作平台', 'Partner system'],
};

export const STATUSES: Names = {
  received: ['已受理', 'Received'],
  'resolved-on-call': ['即时办结', 'Answered on call'],
  assigned: ['待签收', 'Assigned'],
  accepted: ['办理中', 'In hand'],
  replied: ['已回复待审核', 'Replied'],
  callback: ['待回访', 'Call-back'],
  closed: ['已办结', 'Closed'],
  reopened: ['重办', 'Reopened'],
  returned: ['已退单', 'Returned'],
  'awaiting-dispatch': ['待派单', 'Awaiting dispatch'],
  'awaiting-callback': ['待回访', 'Awaiting call-back'],
  'awaiting-review': ['待审核', 'Awaiting review'],
  handling: ['办理中', 'Handling'],
};

export const SATISFACTIONS: Names = {
  satisfied: ['满意', 'Satisfied'],
  'basically-satisfied': ['基本满意', 'Basically satisfied'],
  unsatisfied: ['不满意', 'Unsatisfied'],
  unreachable: ['未接通', 'Unreachable'],
};

export const REPLY_OUTCOMES: Names = {
  resolved: ['已解决', 'Resolved'],
  partly: ['部分解决', 'Partly resolved'],
  unresolved: ['未解决', 'Unresolved'],
};

export const ROLES: Names = {
  operator: ['话务员', 'Operator'],
  dispatcher: ['派单员', 'Dispatcher'],
  handler: ['承办人', 'Handler'],
  supervisor: ['督办员', 'Supervisor'],
  leader: ['领导', 'Leader'],
  admin: ['管理员', 'Administrator'],
};

export const CLOCKS: Names = { 'sign-for': ['签收', 'Sign for'], reply: ['办理回复', 'Reply'], callback: ['回访', 'Call-back'] };

export const SLA_UNITS: Names = {
  'working-days': ['工作日', 'working days'],
  'working-hours': ['工作小时', 'working hours'],
  hours: ['小时', 'hours'],
  minutes: ['分钟', 'minutes'],
};

export const COLOURS: Names = {
  'dark-green': ['深绿', 'Dark green'],
  'light-green': ['浅绿', 'Light green'],
  yellow: ['黄', 'Yellow'],
  orange: ['橙', 'Orange'],
  red: ['红', 'Red'],
};

/** The five colours as painted on the grading grid. */
export const COLOUR_HEX: Record<string, string> = {
  'dark-green': '#1a7f37',
  'light-green': '#73d13d',
  yellow: '#fadb14',
  orange: '#fa8c16',
  red: '#f5222d',
};

export const CHANNEL_KEY_CHANNELS = ['web', 'direct-report', 'letter-visit', 'partner'];

/** 考核指标 of DOMAIN.md, as the department table and the drill-down name them. */
export const MEASURES: Names = {
  received: ['受理', 'Received'],
  assigned: ['派单', 'Assigned'],
  accepted: ['签收', 'Signed for'],
  signedOnTime: ['及时签收', 'Signed on time'],
  closed: ['办结', 'Closed'],
  closedOnTime: ['按时办结', 'Closed on time'],
  returned: ['退单', 'Returned'],
  reopened: ['重办', 'Reopened'],
  repeats: ['重复诉求', 'Repeats'],
  callbacksAnswered: ['回访接通', 'Call-backs answered'],
  satisfiedCallbacks: ['满意回访', 'Satisfied call-backs'],
};

export const RATES: Names = {
  timelySignFor: ['及时签收率', 'Timely sign-for'],
  onTimeCompletion: ['按时办结率', 'On-time completion'],
  completion: ['办结率', 'Completion'],
  satisfaction: ['满意率', 'Satisfaction'],
  returnRate: ['回退率', 'Return rate'],
  reopenRate: ['重办率', 'Reopen rate'],
  repeatRate: ['重复诉求率', 'Repeat rate'],
};

export const EVENTS: Names = {
  'ticket.received': ['受理', 'Received'],
  'ticket.resolved-on-call': ['即时办结', 'Answered on the call'],
  'ticket.repeat-linked': ['重复诉求并单', 'Repeat linked'],
  'ticket.supplemented': ['补充材料', 'Supplemented'],
  'ticket.assigned': ['派单', 'Assigned'],
  'ticket.routing-review-requested': ['待派单员审核', 'Routing review requested'],
  'ticket.reassigned': ['改派', 'Reassigned'],
  'ticket.accepted': ['签收', 'Signed for'],
  'ticket.replied': ['办理回复', 'Replied'],
  'ticket.returned': ['退单', 'Returned'],
  'ticket.return-rejected': ['退单被驳回', 'Return rejected'],
  'ticket.co-handling-noted': ['协办意见', 'Co-handling note'],
  'ticket.extension-requested': ['申请延期', 'Extension requested'],
  'ticket.extension-decided': ['延期审批', 'Extension decided'],
  'ticket.pause-requested': ['申请暂停计时', 'Pause requested'],
  'ticket.pause-decided': ['暂停审批', 'Pause decided'],
  'ticket.sla-started': ['开始计时', 'Clock started'],
  'ticket.sla-warning': ['时限预警', 'Deadline warning'],
  'ticket.overdue': ['超期', 'Overdue'],
  'ticket.sla-recomputed': ['时限重算', 'Deadline recomputed'],
  'ticket.urged': ['催办', 'Urged'],
  'ticket.escalated': ['督办升级', 'Escalated'],
  'ticket.reply-reviewed': ['回复审核', 'Reply reviewed'],
  'ticket.callback-recorded': ['回访', 'Call-back'],
  'ticket.reopened': ['重办', 'Reopened'],
  'ticket.closed': ['办结', 'Closed'],
  'ticket.vanished': ['工单撤销', 'Withdrawn'],
};
