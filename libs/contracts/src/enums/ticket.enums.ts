/** 诉求类型 — what kind of demand the citizen raises. */
export const DEMAND_TYPES = ['consultation', 'help', 'complaint', 'report', 'suggestion', 'praise'] as const;
export type DemandType = (typeof DEMAND_TYPES)[number];

/** 业务领域 — the business domain of the demand. */
export const BUSINESS_DOMAINS = [
  'employment',
  'social-insurance',
  'social-security-card',
  'talent-personnel',
  'labour-relations',
  'wage-arrears',
  'business-environment',
  'other',
] as const;
export type BusinessDomain = (typeof BUSINESS_DOMAINS)[number];

/** 紧急程度. */
export const URGENCIES = ['normal', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** 受理渠道 — where the demand came in. */
export const CHANNELS = ['phone', 'web', 'direct-report', 'letter-visit', 'partner'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Overall status of a ticket as the metrics projection sees it (ARCHITECTURE.md). */
export const TICKET_STATUSES = [
  'received',
  'resolved-on-call',
  'assigned',
  'accepted',
  'replied',
  'callback',
  'closed',
  'reopened',
  'returned',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/**
 * The SLA clocks a ticket runs: 签收 (sign for) and 办理回复 (reply), held by the department; and
 * 回访 (call-back) after the reply is approved, held by the hotline's call-back desk.
 */
export const SLA_CLOCK_KINDS = ['sign-for', 'reply', 'callback'] as const;
export type SlaClockKind = (typeof SLA_CLOCK_KINDS)[number];

/** Units an SLA limit can be expressed in (DOMAIN.md). */
export const SLA_UNITS = ['working-days', 'hours', 'minutes'] as const;
export type SlaUnit = (typeof SLA_UNITS)[number];
