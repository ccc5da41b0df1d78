import type { BusinessDomain, Channel, DemandType, TicketStatus, Urgency } from './ticket.enums';

/** The bureau's own words for the codes, for exports and messages people read. */
export const TICKET_STATUS_LABELS: Record<TicketStatus, string> = {
  received: '已受理',
  'resolved-on-call': '即时办结',
  assigned: '已派单',
  accepted: '已签收',
  replied: '已回复',
  callback: '待回访',
  closed: '已办结',
  reopened: '重办',
  returned: '已退单',
};

export const DEMAND_TYPE_LABELS: Record<DemandType, string> = {
  consultation: '咨询',
  help: '求助',
  complaint: '投诉',
  report: '举报',
  suggestion: '建议',
  praise: '表扬',
};

export const BUSINESS_DOMAIN_LABELS: Record<BusinessDomain, string> = {
  employment: '就业创业',
  'social-insurance': '社会保险',
  'social-security-card': '社保卡',
  'talent-personnel': '人才人事',
  'labour-relations': '劳动关系',
  'wage-arrears': '欠薪',
  'business-environment': '营商环境',
  other: '其他',
};

export const CHANNEL_LABELS: Record<Channel, string> = {
  phone: '12333电话',
  web: '网上留言',
  'direct-report': '直报点',
  'letter-visit': '信访',
  partner: '合作渠道',
};

export const URGENCY_LABELS: Record<Urgency, string> = {
  normal: '一般',
  urgent: '紧急',
};
