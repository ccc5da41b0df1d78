/**
 * The catalogue of every HTTP endpoint of the platform, for the fuzz run: how to call each one
 * validly (as whom, with which query and body), so that every mutation of it is one wrong thing
 * away from a request the service would accept. endpoints.spec.ts fails when a controller route
 * is missing here, when an entry names a route that does not exist, and when an example is not
 * valid for its DTO.
 *
 * Path parameters are not written here: every `:param` gets a fresh, well-formed UUID that names
 * nothing, so even a request that got through validation could only be answered "not found".
 */
export type ServiceName = 'gateway' | 'intake' | 'assignment' | 'supervision' | 'metrics';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who calls: a demo user of that role, a channel's API key, or nobody (public routes). */
export type Caller = 'public' | 'admin' | 'operator' | 'dispatcher' | 'supervisor' | 'leader' | 'handler' | 'channel';

export interface Endpoint {
  service: ServiceName;
  method: HttpMethod;
  /** As the controller declares it, e.g. `/api/tickets/:id/accept`. */
  path: string;
  as: Caller;
  /**
   * A valid query (each value as the query string carries it). Fields of the query DTO left out
   * here are still fuzzed (the planner reads the DTO); leave out one that would make another
   * ignored (`number` makes GET /api/intake/tickets ignore `day`).
   */
  query?: Record<string, string>;
  /** A valid body. */
  body?: unknown;
  /**
   * How the endpoint answers a well-formed id that names nothing: `refused` (a 4xx, the default)
   * or `answered` (a read that returns an empty result: such requests are valid and not sent).
   */
  unknownId?: 'refused' | 'answered';
  /** Called on the service's own port instead of through the gateway (the platform's probes). */
  direct?: boolean;
}

/** The demo user each role is called as (apps/gateway/src/demo/demo-users.seeder.ts). */
export const DEMO_USERS: Record<Exclude<Caller, 'public' | 'channel'>, string> = {
  admin: 'admin',
  operator: 'operator',
  dispatcher: 'dispatcher',
  supervisor: 'supervisor',
  leader: 'leader',
  handler: 'handler.jyc',
};

const TICKET = {
  demandType: 'complaint',
  domain: 'wage-arrears',
  urgency: 'normal',
  regionCode: '500103',
  title: '餐馆拖欠工资',
  content: '渝中区解放碑某餐馆拖欠服务员两个月工资，老板失联。',
  caller: { name: '模糊测试来电人', phone: '13800138000' },
  employerName: '某餐馆',
  peopleAffected: 3,
  attachments: [{ name: '工资条.pdf', reference: 'doc://fuzz/1' }],
};

const SOME_DEPARTMENT = '0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6b';

/** Filters of GET /api/tickets and its export (apps/metrics/src/tickets/ticket-list.request.dto.ts). */
const TICKET_FILTERS = {
  state: 'open',
  status: 'received',
  departmentId: SOME_DEPARTMENT,
  regionCode: '500103',
  domain: 'wage-arrears',
  demandType: 'complaint',
  q: '工资',
  from: '2025-01-01T00:00:00+08:00',
  to: '2025-12-31T00:00:00Z',
};

const PROBES: Endpoint[] = (['gateway', 'intake', 'assignment', 'supervision', 'metrics'] as const).flatMap((service) =>
  ['/health/live', '/health', '/health/ready', '/metrics'].map((path) => ({ service, method: 'GET' as const, path, as: 'public' as const, direct: true })),
);

export const ENDPOINTS: readonly Endpoint[] = [
  // ── gateway: sessions ───────────────────────────────────────────────────────────────────
  { service: 'gateway', method: 'POST', path: '/api/auth/login', as: 'public', body: { username: 'fuzz.nobody', password: 'not-the-password' } },
  { service: 'gateway', method: 'POST', path: '/api/auth/refresh', as: 'public', body: { refreshToken: 'fuzz-unknown-refresh-token' } },
  { service: 'gateway', method: 'POST', path: '/api/auth/logout', as: 'operator', body: { refreshToken: 'fuzz-unknown-refresh-token' } },
  { service: 'gateway', method: 'GET', path: '/api/auth/me', as: 'operator' },
  // ── gateway: administration ─────────────────────────────────────────────────────────────
  { service: 'gateway', method: 'GET', path: '/api/admin/users', as: 'admin' },
  {
    service: 'gateway',
    method: 'POST',
    path: '/api/admin/users',
    as: 'admin',
    body: { username: 'fuzz.user', displayName: '模糊测试', role: 'handler', departmentId: SOME_DEPARTMENT, password: 'Fuzz@12333-long' },
  },
  { service: 'gateway', method: 'PUT', path: '/api/admin/users/:id', as: 'admin', body: { displayName: '模糊测试', role: 'supervisor', regionCode: '500103' } },
  { service: 'gateway', method: 'POST', path: '/api/admin/users/:id/disable', as: 'admin' },
  { service: 'gateway', method: 'POST', path: '/api/admin/users/:id/enable', as: 'admin' },
  { service: 'gateway', method: 'POST', path: '/api/admin/users/:id/reset-password', as: 'admin', body: { password: 'Fuzz@12333-long' } },
  {
    service: 'gateway',
    method: 'GET',
    path: '/api/admin/audit',
    as: 'admin',
    query: { action: 'login.failed', from: '2025-01-01T00:00:00Z', to: '2025-01-31T00:00:00+08:00', limit: '50' },
  },
  { service: 'gateway', method: 'GET', path: '/api/admin/channel-keys', as: 'admin' },
  { service: 'gateway', method: 'POST', path: '/api/admin/channel-keys', as: 'admin', body: { name: '模糊测试直报点', channel: 'direct-report', ratePerMinute: 60 } },
  { service: 'gateway', method: 'POST', path: '/api/admin/channel-keys/:id/revoke', as: 'admin' },

  // ── intake ──────────────────────────────────────────────────────────────────────────────
  { service: 'intake', method: 'POST', path: '/api/tickets', as: 'operator', body: { ...TICKET, channel: 'phone', categoryCode: 'LD.01', desiredContactTime: '工作日下午' } },
  { service: 'intake', method: 'POST', path: '/api/channel/tickets', as: 'channel', body: { ...TICKET, address: '渝中区解放碑', caller: { ...TICKET.caller, idNumber: '11010519491231002X' } } },
  { service: 'intake', method: 'GET', path: '/api/tickets/:id/caller', as: 'operator' },
  { service: 'intake', method: 'POST', path: '/api/tickets/:id/caller/reveal', as: 'operator', body: { reason: '回访需要拨打来电人电话' } },
  { service: 'intake', method: 'GET', path: '/api/tickets/:id/caller/reveals', as: 'supervisor' },
  { service: 'intake', method: 'GET', path: '/api/categories', as: 'operator' },
  {
    service: 'intake',
    method: 'POST',
    path: '/api/tickets/:id/supplements',
    as: 'operator',
    body: { content: '来电人补充了劳动合同', attachments: [{ name: '劳动合同.pdf', reference: 'doc://fuzz/2' }] },
  },
  {
    service: 'intake',
    method: 'POST',
    path: '/api/intake/refusals',
    as: 'operator',
    body: { kind: 'litigation', content: '该事项已在法院起诉', regionCode: '500103', callerPhone: '023-63881234' },
  },
  { service: 'intake', method: 'GET', path: '/api/intake/refusals', as: 'supervisor', query: { limit: '20' } },
  { service: 'intake', method: 'GET', path: '/api/intake/tickets', as: 'operator', query: { mine: 'true', day: '2025-06-01' } },
  { service: 'intake', method: 'POST', path: '/api/intake/tickets/search', as: 'operator', body: { phone: '13800138000' } },
  {
    service: 'intake',
    method: 'POST',
    path: '/api/intake/repeat-candidates',
    as: 'operator',
    body: { phone: '13800138000', employerName: '某餐馆', domain: 'wage-arrears' },
  },
  { service: 'intake', method: 'GET', path: '/api/knowledge', as: 'operator', query: { q: '失业金怎么领', domain: 'employment', limit: '5' } },
  { service: 'intake', method: 'GET', path: '/api/knowledge/:id', as: 'operator' },
  { service: 'intake', method: 'GET', path: '/api/admin/knowledge', as: 'admin', query: { domain: 'employment', active: 'true', page: '1', pageSize: '20' } },
  {
    service: 'intake',
    method: 'POST',
    path: '/api/admin/knowledge',
    as: 'admin',
    body: {
      question: '失业保险金怎么领取',
      answer: '携带身份证到参保地社保经办机构申请，经办机构十个工作日内审核。',
      domain: 'employment',
      keywords: ['失业金', '失业保险'],
      validFrom: '2025-01-01',
      validTo: '2025-12-31',
      source: '《失业保险条例》',
    },
  },
  { service: 'intake', method: 'PUT', path: '/api/admin/knowledge/:id', as: 'admin', body: { version: 1, question: '失业保险金怎么领取', validTo: null } },
  { service: 'intake', method: 'POST', path: '/api/admin/knowledge/:id/retire', as: 'admin' },
  { service: 'intake', method: 'GET', path: '/api/admin/knowledge/:id/versions', as: 'admin' },

  // ── assignment ──────────────────────────────────────────────────────────────────────────
  { service: 'assignment', method: 'GET', path: '/api/departments', as: 'operator' },
  { service: 'assignment', method: 'POST', path: '/api/tickets/:id/accept', as: 'handler' },
  { service: 'assignment', method: 'POST', path: '/api/tickets/:id/reply', as: 'handler', body: { content: '已督促用人单位支付工资', outcome: 'resolved' } },
  { service: 'assignment', method: 'POST', path: '/api/tickets/:id/return', as: 'handler', body: { reason: '不属于本单位职责' } },
  { service: 'assignment', method: 'POST', path: '/api/tickets/:id/extension-requests', as: 'handler', body: { workingDays: 3, reason: '需要现场调查' } },
  { service: 'assignment', method: 'POST', path: '/api/tickets/:id/pause-requests', as: 'handler', body: { reason: '等待来电人提供材料' } },
  { service: 'assignment', method: 'POST', path: '/api/tickets/:id/co-handling-notes', as: 'handler', body: { content: '协办意见：已核实' } },
  {
    service: 'assignment',
    method: 'POST',
    path: '/api/tickets/:id/dispatch',
    as: 'dispatcher',
    body: { departmentId: SOME_DEPARTMENT, coHandlerIds: [SOME_DEPARTMENT], reason: '按职责派单' },
  },
  { service: 'assignment', method: 'POST', path: '/api/tickets/:id/return-decision', as: 'dispatcher', body: { accept: true, departmentId: SOME_DEPARTMENT, reason: '退单理由成立' } },
  { service: 'assignment', method: 'POST', path: '/api/tickets/:id/transfer', as: 'dispatcher', body: { departmentId: SOME_DEPARTMENT, reason: '转至主管部门' } },
  { service: 'assignment', method: 'GET', path: '/api/assignment/inbox', as: 'handler', query: { status: 'assigned', urgency: 'normal', role: 'main', overdue: 'false' } },
  { service: 'assignment', method: 'GET', path: '/api/assignment/dispatch-queue', as: 'dispatcher' },
  { service: 'assignment', method: 'GET', path: '/api/admin/routing-rules', as: 'admin' },
  {
    service: 'assignment',
    method: 'POST',
    path: '/api/admin/routing-rules',
    as: 'admin',
    body: {
      name: '模糊测试规则',
      priority: 999_999,
      match: { domains: ['wage-arrears'], categoryPrefixes: ['LD'], regionCodes: ['500103'], minPeopleAffected: 10, keywords: ['欠薪'] },
      target: { mode: 'department', departmentCode: 'JCZD' },
      coHandlerCodes: ['REGION'],
      confidence: 'review',
    },
  },
  {
    service: 'assignment',
    method: 'POST',
    path: '/api/admin/routing-rules/dry-run',
    as: 'dispatcher',
    body: { regionCode: '500103', domain: 'wage-arrears', demandType: 'complaint', urgency: 'urgent', title: '拖欠工资', content: '拖欠工资', peopleAffected: 12 },
  },
  { service: 'assignment', method: 'GET', path: '/api/admin/routing-rules/municipal-matters', as: 'dispatcher' },
  { service: 'assignment', method: 'PUT', path: '/api/admin/routing-rules/:id', as: 'admin', body: { version: 1, name: '模糊测试规则', target: { mode: 'region-bureau' } } },
  { service: 'assignment', method: 'POST', path: '/api/admin/routing-rules/:id/retire', as: 'admin' },
  { service: 'assignment', method: 'GET', path: '/api/admin/routing-rules/:id/versions', as: 'admin' },
  { service: 'assignment', method: 'GET', path: '/api/admin/departments', as: 'admin' },
  { service: 'assignment', method: 'POST', path: '/api/admin/departments', as: 'admin', body: { code: 'FUZZ', name: '模糊测试处' } },
  { service: 'assignment', method: 'PUT', path: '/api/admin/departments/:id', as: 'admin', body: { version: 1, name: '模糊测试处', active: false } },
  { service: 'assignment', method: 'GET', path: '/api/admin/departments/:id/versions', as: 'admin' },

  // ── supervision ─────────────────────────────────────────────────────────────────────────
  { service: 'supervision', method: 'POST', path: '/api/tickets/:id/review', as: 'supervisor', body: { approved: true, comment: '同意办结' } },
  { service: 'supervision', method: 'POST', path: '/api/tickets/:id/callback', as: 'operator', body: { satisfaction: 'satisfied', note: '来电人表示满意' } },
  { service: 'supervision', method: 'POST', path: '/api/tickets/:id/urge', as: 'supervisor', body: { note: '请尽快办理' } },
  { service: 'supervision', method: 'POST', path: '/api/tickets/:id/supervise', as: 'supervisor', body: { note: '挂牌督办' } },
  { service: 'supervision', method: 'POST', path: '/api/extension-requests/:id/decision', as: 'supervisor', body: { approved: false, comment: '理由不充分' } },
  { service: 'supervision', method: 'GET', path: '/api/supervision/board', as: 'supervisor', query: { regionCode: '500103', departmentId: SOME_DEPARTMENT, level: '1' } },
  { service: 'supervision', method: 'GET', path: '/api/supervision/callbacks', as: 'operator' },
  { service: 'supervision', method: 'GET', path: '/api/supervision/requests', as: 'supervisor', query: { kind: 'extension', status: 'pending' } },
  { service: 'supervision', method: 'GET', path: '/api/admin/sla-policies', as: 'supervisor' },
  {
    service: 'supervision',
    method: 'PUT',
    path: '/api/admin/sla-policies',
    as: 'admin',
    body: {
      rules: [
        {
          demandType: 'complaint',
          urgency: 'normal',
          signFor: { amount: 2, unit: 'hours' },
          reply: { amount: 5, unit: 'working-days' },
          warningFraction: 0.8,
          listingAfterWorkingDays: 5,
          repeatsForSupervision: 3,
        },
      ],
      note: '调整投诉时限',
    },
  },
  { service: 'supervision', method: 'POST', path: '/api/admin/sla-clocks/recompute', as: 'admin', body: { dryRun: true, reason: '核对时限' } },
  { service: 'supervision', method: 'POST', path: '/api/pause-requests/:id/decision', as: 'supervisor', body: { approved: true, comment: '' } },
  { service: 'supervision', method: 'POST', path: '/api/tickets/:id/resume', as: 'supervisor', body: { note: '材料已补齐' } },
  { service: 'supervision', method: 'GET', path: '/api/calendar/deadline', as: 'operator', query: { from: '2025-06-03T09:30:00+08:00', amount: '3', unit: 'working-days' } },
  { service: 'supervision', method: 'GET', path: '/api/calendar/days', as: 'operator', query: { year: '2025' } },
  { service: 'supervision', method: 'GET', path: '/api/admin/calendar', as: 'admin' },
  {
    service: 'supervision',
    method: 'PUT',
    path: '/api/admin/calendar',
    as: 'admin',
    body: { overrides: [{ date: '2025-10-11', kind: 'make-up-workday', name: '国庆调休', reason: '国务院办公厅通知', active: true, version: 0 }] },
  },

  // ── metrics ─────────────────────────────────────────────────────────────────────────────
  {
    service: 'metrics',
    method: 'GET',
    path: '/api/metrics/counters/tickets',
    as: 'leader',
    query: { measure: 'received', dimension: 'region', key: '500103', from: '2025-06-01', to: '2025-06-30', page: '1', pageSize: '50' },
  },
  {
    service: 'metrics',
    method: 'GET',
    path: '/api/tickets',
    as: 'operator',
    query: { ...TICKET_FILTERS, page: '1', pageSize: '20' },
  },
  { service: 'metrics', method: 'GET', path: '/api/tickets/export', as: 'operator', query: { ...TICKET_FILTERS, format: 'csv' } },
  // The tickets behind a figure, named by id: ids the user may not see are left out, not refused.
  { service: 'metrics', method: 'POST', path: '/api/tickets/export', as: 'leader', body: { ids: ['0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6b'], format: 'csv' } },
  { service: 'metrics', method: 'GET', path: '/api/tickets/:id', as: 'operator' },
  { service: 'metrics', method: 'GET', path: '/api/tickets/:id/timeline', as: 'operator' },
  { service: 'metrics', method: 'GET', path: '/api/metrics/daily', as: 'leader', query: { day: '2025-06-01', dimension: 'region' } },
  { service: 'metrics', method: 'GET', path: '/api/metrics/lists', as: 'leader', query: { month: '2025-06', size: '5' } },
  {
    service: 'metrics',
    method: 'GET',
    path: '/api/metrics/trends',
    as: 'leader',
    query: { from: '2025-06-01', to: '2025-06-30', measure: 'received', dimension: 'all', key: 'all' },
  },
  { service: 'metrics', method: 'GET', path: '/api/metrics/overview', as: 'leader' },
  // A department without tickets that month is an empty list, not "not found".
  { service: 'metrics', method: 'GET', path: '/api/metrics/departments/:id/tickets', as: 'leader', query: { month: '2025-06', measure: 'received' }, unknownId: 'answered' },
  { service: 'metrics', method: 'GET', path: '/api/metrics/departments', as: 'leader', query: { month: '2025-06' } },
  { service: 'metrics', method: 'GET', path: '/api/metrics/breakdown', as: 'leader', query: { month: '2025-06', dimension: 'region' } },
  { service: 'metrics', method: 'GET', path: '/api/metrics/breakdown/export', as: 'leader', query: { month: '2025-06', dimension: 'domain', format: 'csv' } },
  {
    service: 'metrics',
    method: 'GET',
    path: '/api/metrics/breakdown/tickets',
    as: 'leader',
    query: { month: '2025-06', dimension: 'region', key: '500101', measure: 'closedOnTime' },
  },
  { service: 'metrics', method: 'GET', path: '/api/metrics/export', as: 'leader', query: { month: '2025-06', format: 'xlsx' } },
  { service: 'metrics', method: 'GET', path: '/api/metrics/grading', as: 'leader', query: { month: '2025-06' } },
  { service: 'metrics', method: 'POST', path: '/api/metrics/grading/publish', as: 'leader', body: { month: '2025-06' } },
  { service: 'metrics', method: 'GET', path: '/api/admin/scoring-formula', as: 'leader' },
  {
    service: 'metrics',
    method: 'PUT',
    path: '/api/admin/scoring-formula',
    as: 'admin',
    body: {
      weights: { response: 0.3, resolution: 0.4, satisfaction: 0.3 },
      reopenPenalty: 5,
      bands: [
        { colour: 'dark-green', min: 90 },
        { colour: 'yellow', min: 60 },
      ],
      note: '调整评分公式',
    },
  },
  { service: 'metrics', method: 'GET', path: '/api/metrics/hotspots', as: 'leader', query: { from: '2025-06-01', to: '2025-06-07', kind: 'employer' } },
  { service: 'metrics', method: 'GET', path: '/api/metrics/hotspots/:id/tickets', as: 'leader' },
  { service: 'metrics', method: 'GET', path: '/api/metrics/stream', as: 'leader' },

  // ── every service's probes, on its own port ─────────────────────────────────────────────
  ...PROBES,
];

export function endpointKey(e: Pick<Endpoint, 'service' | 'method' | 'path'>): string {
  return `${e.service} ${e.method} ${e.path}`;
}

/** `GET /api/tickets/:id` as printed in the table (probes get their service's name). */
export function endpointLabel(e: Endpoint): string {
  return e.direct ? `${e.method} ${e.service}:${e.path}` : `${e.method} ${e.path}`;
}

/** The path's `:param` names, in order. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
}

/** Whether a concrete path (params filled in) is one of the template's. */
export function matchesTemplate(template: string, concrete: string): boolean {
  const pattern = new RegExp(`^${template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z]+/g, '[^/]+')}$`);
  return pattern.test(concrete);
}
