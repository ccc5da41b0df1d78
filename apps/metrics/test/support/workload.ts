import {
  BusinessDomain,
  Channel,
  createEvent,
  DemandType,
  departmentCatalog,
  DepartmentSeed,
  employerKey,
  EventActor,
  EventEnvelope,
  EventPayload,
  EventType,
  REGIONS,
  Satisfaction,
  SlaClockKind,
  SYSTEM_ACTOR,
  toOffsetIso,
  Urgency,
} from '@hotline/contracts';
import { Prng } from './prng';

/**
 * 工单负载 — a generated workload of tickets through every path of the closed loop, each ticket
 * simulated as the services would move it (intake, assignment, supervision with its SLA clocks
 * and escalation ladder). Every step is kept twice: as the generator's own fact (what it decided
 * happened, when, to which department, on time or not) — the ground truth reads only these — and
 * as the event the services would have written — what the metrics service is fed.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Shanghai wall-clock instant. */
export function shanghai(iso: string): Date {
  return new Date(`${iso}+08:00`);
}

/** The Asia/Shanghai calendar day of an instant (the generator's own, not the product's). */
export function dayOf(at: Date): string {
  const local = new Date(at.getTime() + 8 * HOUR);
  const y = local.getUTCFullYear();
  const m = String(local.getUTCMonth() + 1).padStart(2, '0');
  const d = String(local.getUTCDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export function monthOf(at: Date): string {
  return dayOf(at).slice(0, 7);
}

/** The day `n` days after a YYYY-MM-DD day. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
}

export type Dept = DepartmentSeed;

/** A ticket's fixed attributes, as received. */
export interface TicketAttributes {
  id: string;
  number: string;
  channel: Channel;
  demandType: DemandType;
  domain: BusinessDomain;
  urgency: Urgency;
  regionCode: string;
  categoryCode: string | null;
  employerName: string | null;
  title: string;
  receivedAt: Date;
  resolvedOnCall: boolean;
}

export type ClockKind = SlaClockKind;

/** What the generator decided happened; `dept` is always the department concerned at that moment. */
export type FactBody =
  | { kind: 'received' }
  | { kind: 'resolved-on-call' }
  | { kind: 'awaiting-dispatch' }
  | { kind: 'dispatched'; dept: string }
  | { kind: 'moved'; from: string; dept: string; how: 'return-accepted' | 'transfer' }
  | { kind: 'clock-started'; clock: ClockKind; clockId: string; dept: string; deadline: Date }
  | { kind: 'deadline-moved'; clock: ClockKind; clockId: string; deadline: Date; why: 'calendar' | 'pause' }
  | { kind: 'warned'; clock: ClockKind; dept: string }
  | { kind: 'overdue'; clock: ClockKind; dept: string }
  | { kind: 'escalated'; level: 1 | 2 | 3; reason: 'warning' | 'overdue' | 'listed' | 'repeats' | 'manual'; dept: string | null }
  | { kind: 'urged'; dept: string | null }
  | { kind: 'signed'; dept: string; onTime: boolean }
  | { kind: 'returned'; dept: string }
  | { kind: 'return-rejected'; dept: string }
  | { kind: 'extension-asked'; dept: string; days: number }
  | { kind: 'extension-decided'; approved: boolean; deadline: Date | null }
  | { kind: 'pause-asked'; dept: string }
  | { kind: 'pause-decided'; approved: boolean }
  | { kind: 'supplemented' }
  | { kind: 'co-handled'; dept: string }
  | { kind: 'replied'; dept: string; onTime: boolean }
  | { kind: 'reviewed'; approved: boolean }
  | { kind: 'called-back'; satisfaction: Satisfaction; attempt: number; dept: string | null }
  | { kind: 'closed'; dept: string | null; onTime: boolean }
  | { kind: 'reopened'; dept: string }
  | { kind: 'repeat'; channel: Channel; count: number; dept: string | null };

export type Fact = FactBody & { at: Date; event: EventEnvelope };

export type Phase = 'history' | 'baseline' | 'today';

export interface TicketStory {
  ticket: TicketAttributes;
  phase: Phase;
  facts: Fact[];
}

export interface Workload {
  seed: number;
  today: string;
  stories: TicketStory[];
  /** The spike injected today, and the matters that must not be hotspots. */
  spike: { regionCode: string; categoryCode: string; ticketIds: string[]; baseline: number };
  quiet: { regionCode: string; categoryCode: string; today: number };
  busy: { regionCode: string; categoryCode: string; today: number; baseline: number };
  departments: Map<string, Dept>;
  lagWindows: LagWindow[];
}

/** The fixed history: receipts over two months and three month boundaries, Asia/Shanghai. */
export const HISTORY = {
  from: shanghai('2026-09-20T00:00:00.000'),
  to: shanghai('2026-11-20T23:59:59.000'),
  /** Nothing of the history happens after this instant: later steps are still to come. */
  cutoff: shanghai('2026-11-22T18:00:00.000'),
};

const CHANNEL_WEIGHTS: Record<Channel, number> = { phone: 60, web: 18, 'direct-report': 8, 'letter-visit': 4, partner: 10 };
const DEMAND_WEIGHTS: Record<DemandType, number> = { consultation: 30, help: 20, complaint: 25, report: 10, suggestion: 8, praise: 7 };
const DOMAIN_WEIGHTS: Record<BusinessDomain, number> = {
  employment: 14,
  'social-insurance': 22,
  'social-security-card': 10,
  'talent-personnel': 8,
  'labour-relations': 16,
  'wage-arrears': 16,
  'business-environment': 6,
  other: 8,
};

/** Three-level category codes per domain (the shape of intake's tree, none of its data). */
const CATEGORIES: Record<BusinessDomain, string[]> = {
  employment: ['JY.01.01', 'JY.01.02', 'JY.01.03', 'JY.02.01', 'JY.02.02', 'JY.03.01'],
  'social-insurance': ['SB.01.01', 'SB.01.02', 'SB.01.03', 'SB.02.01', 'SB.02.02', 'SB.03.01', 'SB.03.02'],
  'social-security-card': ['SK.01.01', 'SK.01.02', 'SK.02.01', 'SK.02.02'],
  'talent-personnel': ['RC.01.01', 'RC.01.02', 'RC.02.01', 'RC.03.01'],
  'labour-relations': ['LD.01.01', 'LD.01.02', 'LD.02.01', 'LD.02.02', 'LD.03.01'],
  'wage-arrears': ['QX.01.01', 'QX.01.02', 'QX.02.01', 'QX.02.02'],
  'business-environment': ['YS.01.01', 'YS.01.02'],
  other: ['QT.01.01', 'QT.01.02'],
};

/** Categories used only by the hotspot scenario, so nothing else counts towards their matters. */
export const SPIKE_CATEGORY = 'LD.09.01';
export const BUSY_CATEGORY = 'SB.09.01';

const EMPLOYERS = Array.from(
  { length: 40 },
  (_, i) => `重庆${['渝建', '山城', '两江', '嘉陵', '巴渝', '长江', '缙云', '南山'][i % 8]}${['建筑劳务', '物流', '餐饮管理', '电子科技', '汽车配件'][i % 5]}${i}有限公司`,
);

/** Where a domain goes besides the region's bureau (routing rules), and how often. */
const MUNICIPAL_ROUTES: Record<BusinessDomain, { codes: string[]; p: number }> = {
  employment: { codes: ['JYC'], p: 0.1 },
  'social-insurance': { codes: ['SBJ'], p: 0.2 },
  'social-security-card': { codes: ['SBKZX'], p: 0.4 },
  'talent-personnel': { codes: ['RCB', 'RSKS'], p: 0.4 },
  'labour-relations': { codes: ['LDGXC', 'ZCY'], p: 0.15 },
  'wage-arrears': { codes: ['JCZD'], p: 0.25 },
  'business-environment': { codes: ['FWZX'], p: 0.3 },
  other: { codes: ['FWZX', 'ZYNL'], p: 0.3 },
};

const TITLES: Record<BusinessDomain, string[]> = {
  employment: ['失业登记办理咨询', '就业补贴未到账', '招聘会信息咨询'],
  'social-insurance': ['养老保险转移接续', '医保报销进度查询', '工伤认定进度'],
  'social-security-card': ['社保卡挂失补办', '社保卡激活问题'],
  'talent-personnel': ['职称评审材料咨询', '事业单位考试报名'],
  'labour-relations': ['未签劳动合同', '单位违法解除劳动合同', '加班费争议'],
  'wage-arrears': ['工地拖欠农民工工资', '公司拖欠工资三个月'],
  'business-environment': ['办事窗口服务态度', '审批材料反复补交'],
  other: ['其他人社事项咨询', '政策建议'],
};

/** Hours of a clock's limit (calendar hours stand in for working time: metrics only reads deadlines). */
function signForHours(urgency: Urgency): number {
  return urgency === 'urgent' ? 2 : 24;
}

/** 回访: within 1 working day of the approval, the same day when urgent (in natural hours here). */
function callbackHours(urgency: Urgency): number {
  return urgency === 'urgent' ? 8 : 24;
}

function replyHours(demandType: DemandType, urgency: Urgency): number {
  if (urgency === 'urgent') return 24;
  if (demandType === 'consultation') return 2 * 24;
  if (demandType === 'report' || demandType === 'suggestion') return 13 * 24;
  return 5 * 24;
}

const RETURN_WINDOW_HOURS: Record<Urgency, number> = { normal: 48, urgent: 2 };
const LISTING_AFTER = 7 * DAY;

interface Clock {
  id: string;
  kind: ClockKind;
  dept: string;
  warningAt: Date;
  deadline: Date;
  stage: 'warning' | 'deadline' | 'listing' | 'done';
  status: 'running' | 'stopped' | 'paused';
  /** Of a paused clock: what was left of it when it stopped. */
  remaining?: number;
  /** When supervision has the clock (and its timers can fire). */
  visibleAt: Date;
}

/** Counts of demands per matter and day, kept low in the history so it never has a hotspot. */
class MatterLoad {
  private readonly counts = new Map<string, number>();
  static readonly MAX = 3;

  private static key(parts: string[]): string {
    return parts.join('\u0000');
  }

  fits(day: string, regionCode: string, categoryCode: string | null, domain: BusinessDomain, employer: string | null): boolean {
    const keys = this.keysOf(day, regionCode, categoryCode, domain, employer);
    return keys.every((k) => (this.counts.get(k) ?? 0) < MatterLoad.MAX);
  }

  add(day: string, regionCode: string, categoryCode: string | null, domain: BusinessDomain, employer: string | null): void {
    for (const k of this.keysOf(day, regionCode, categoryCode, domain, employer)) this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
  }

  private keysOf(day: string, regionCode: string, categoryCode: string | null, domain: BusinessDomain, employer: string | null): string[] {
    const keys: string[] = [];
    if (categoryCode) keys.push(MatterLoad.key(['rc', day, regionCode, categoryCode]));
    const ek = employerKey(employer);
    if (ek && domain === 'wage-arrears') keys.push(MatterLoad.key(['em', day, ek]));
    return keys;
  }
}

/** A stretch of time in which supervision's consumer lags behind (a restart, a backlog). */
export interface LagWindow {
  from: Date;
  to: Date;
}

interface GeneratorContext {
  prng: Prng;
  lagWindows: LagWindow[];
  departments: Map<string, Dept>;
  byCode: Map<string, Dept>;
  load: MatterLoad;
  nextNumber: number;
}

/** How a ticket's story is to go, decided up front for the tickets of the hotspot scenario. */
interface StoryOptions {
  phase: Phase;
  receivedAt: Date;
  cutoff: Date;
  regionCode?: string;
  domain?: BusinessDomain;
  categoryCode?: string | null;
  noRepeats?: boolean;
  dispatchOnly?: boolean;
}

const actor = {
  operator: { id: 'operator-0001', role: 'operator' } as EventActor,
  dispatcher: { id: 'dispatcher-0001', role: 'dispatcher' } as EventActor,
  supervisor: { id: 'supervisor-0001', role: 'supervisor' } as EventActor,
  handler: (dept: string): EventActor => ({ id: `handler-${dept.slice(0, 8)}`, role: 'handler', departmentId: dept }),
};

/** One ticket simulated step by step; facts and events are appended as time moves on. */
class TicketSimulation {
  readonly facts: Fact[] = [];
  private now: Date;
  private dept: Dept | null = null;
  private assignedAt: Date | null = null;
  private supervised = false;
  private closed = false;
  private escalationLevel = 0;
  private clocks: Clock[] = [];
  private repeatsDue: Date[] = [];
  private repeatCount = 0;
  private returnCount = 0;
  private reopenCount = 0;
  private rejections = 0;
  private extensionDays = 0;
  private lastReplyOnTime = false;
  private pendingCoHandlers: Dept[] = [];
  private last: EventEnvelope | null = null;
  private steps = 0;
  private readonly stallAfter: number | null;
  private lastWrittenBySupervision = new Date(0);

  constructor(
    private readonly ctx: GeneratorContext,
    readonly ticket: TicketAttributes,
    private readonly options: StoryOptions,
  ) {
    this.now = ticket.receivedAt;
    const p = ctx.prng;
    this.stallAfter = p.chance(0.07) ? p.int(1, 9) : null;
  }

  private get p(): Prng {
    return this.ctx.prng;
  }

  // ---- emitting -------------------------------------------------------------------------

  private emit<T extends EventType>(type: T, payload: EventPayload<T>, body: FactBody, who: EventActor = SYSTEM_ACTOR, occurredAt = this.now): void {
    const event = createEvent(type, payload, {
      ticketId: this.ticket.id,
      occurredAt,
      actor: who,
      ...(this.last ? { cause: this.last } : {}),
    }) as EventEnvelope;
    this.last = event;
    this.facts.push({ ...body, at: this.now, event } as Fact);
  }

  private ticketFacts() {
    const t = this.ticket;
    return { number: t.number, regionCode: t.regionCode, demandType: t.demandType, domain: t.domain, urgency: t.urgency };
  }

  // ---- time, clocks and the things that happen on their own ---------------------------

  /** Moves time to `t`, firing on the way every timer that falls due and every repeat call. */
  private advanceTo(t: Date): void {
    for (;;) {
      const next = this.nextDue();
      if (!next || next.at > t) break;
      if (next.at > this.now) this.now = next.at;
      next.fire();
    }
    if (t > this.now) this.now = t;
  }

  private nextDue(): { at: Date; fire: () => void } | null {
    let best: { at: Date; fire: () => void } | null = null;
    for (const clock of this.clocks) {
      if (clock.status !== 'running') continue;
      const at =
        clock.stage === 'warning'
          ? clock.warningAt
          : clock.stage === 'deadline'
            ? clock.deadline
            : clock.stage === 'listing'
              ? new Date(clock.deadline.getTime() + LISTING_AFTER)
              : null;
      // A timer due before supervision had the clock fires when it has it.
      const due = at && at < clock.visibleAt ? clock.visibleAt : at;
      if (due && (!best || due < best.at)) best = { at: due, fire: () => this.fireClock(clock) };
    }
    const repeat = this.repeatsDue[0];
    if (repeat && (!best || repeat < best.at)) best = { at: repeat, fire: () => this.repeatCall() };
    return best;
  }

  private fireClock(clock: Clock): void {
    const base = { clockId: clock.id, clock: clock.kind, departmentId: clock.dept, deadline: toOffsetIso(clock.deadline) };
    // A call-back clock is the hotline's: no escalation of the department, nothing after overdue.
    const departmentStep = clock.kind !== 'callback';
    if (clock.stage === 'warning') {
      this.emit('ticket.sla-warning', base, { kind: 'warned', clock: clock.kind, dept: clock.dept });
      if (departmentStep) this.escalate(1, 'warning');
      clock.stage = 'deadline';
    } else if (clock.stage === 'deadline') {
      this.emit('ticket.overdue', base, { kind: 'overdue', clock: clock.kind, dept: clock.dept });
      if (departmentStep) this.escalate(2, 'overdue');
      clock.stage = departmentStep ? 'listing' : 'done';
    } else if (clock.stage === 'listing') {
      this.escalate(3, 'listed');
      clock.stage = 'done';
    }
  }

  private escalate(level: 1 | 2 | 3, reason: 'warning' | 'overdue' | 'listed' | 'repeats' | 'manual', who: EventActor = SYSTEM_ACTOR): void {
    if (this.escalationLevel >= level && reason !== 'manual') return;
    this.escalationLevel = Math.max(this.escalationLevel, level);
    const dept = this.dept?.id ?? null;
    this.emit(
      'ticket.escalated',
      { level, reason, departmentId: dept ?? undefined, notice: `【${['催办', '督办', '挂牌督办'][level - 1]}】工单${this.ticket.number}（${reason}）` },
      { kind: 'escalated', level, reason, dept },
      who,
    );
  }

  /** 并单: the same caller again about this ticket. */
  private repeatCall(): void {
    this.repeatsDue.shift();
    this.repeatCount += 1;
    const channel = this.p.weighted(CHANNEL_WEIGHTS);
    const t = this.ticket;
    this.emit(
      'ticket.repeat-linked',
      {
        repeatId: this.p.uuid(),
        repeatCount: this.repeatCount,
        matchedOn: t.employerName && this.p.chance(0.3) ? 'employer' : 'caller',
        channel,
        content: `第${this.repeatCount + 1}次来电催问：${t.title}`,
        callerPhoneHash: this.p.hex(64),
        regionCode: t.regionCode,
        domain: t.domain,
        receivedAt: toOffsetIso(this.now),
      },
      { kind: 'repeat', channel, count: this.repeatCount, dept: this.dept?.id ?? null },
      actor.operator,
    );
    if (this.supervised && !this.closed && this.repeatCount >= 3) this.escalate(2, 'repeats');
  }

  /**
   * Starts a clock from now (the moment of its cause). Supervision writes ticket.sla-started when
   * its consumer gets to the cause: a moment later, or when a lag ends; the clock exists (and its
   * timers can fire) only from then on, but it runs from its cause (`startedAt`).
   */
  private startClock(kind: ClockKind, dept: string, byConsumer = true): Clock {
    const hours =
      kind === 'sign-for'
        ? signForHours(this.ticket.urgency)
        : kind === 'callback'
          ? callbackHours(this.ticket.urgency)
          : replyHours(this.ticket.demandType, this.ticket.urgency);
    const deadline = new Date(this.now.getTime() + hours * HOUR);
    const warningAt = new Date(this.now.getTime() + hours * HOUR * 0.75);
    let written = this.now;
    if (byConsumer) {
      const lag = this.ctx.lagWindows.find((w) => w.from <= this.now && this.now < w.to);
      written = lag ? new Date(lag.to.getTime() + this.p.between(1, 90) * 1000) : new Date(this.now.getTime() + this.p.between(200, 2000));
      written = new Date(Math.max(written.getTime(), this.lastWrittenBySupervision.getTime() + 1));
      this.lastWrittenBySupervision = written;
    }
    const clock: Clock = { id: this.p.uuid(), kind, dept, warningAt, deadline, stage: 'warning', status: 'running', visibleAt: written };
    this.clocks.push(clock);
    this.emit(
      'ticket.sla-started',
      {
        clockId: clock.id,
        clock: kind,
        departmentId: dept,
        startedAt: toOffsetIso(this.now),
        warningAt: toOffsetIso(warningAt),
        deadline: toOffsetIso(deadline),
        limit: hours % 24 === 0 ? { amount: hours / 24, unit: 'working-days' } : { amount: hours, unit: 'hours' },
        policyVersion: 1,
        calendarConfirmed: true,
      },
      { kind: 'clock-started', clock: kind, clockId: clock.id, dept, deadline },
      SYSTEM_ACTOR,
      written,
    );
    return clock;
  }

  private stopClocks(): void {
    for (const c of this.clocks) if (c.status !== 'stopped') c.status = 'stopped';
  }

  private runningClock(kind: ClockKind): Clock {
    const clock = [...this.clocks].reverse().find((c) => c.kind === kind && c.status === 'running');
    if (!clock) throw new Error(`generator: no running ${kind} clock for ${this.ticket.number}`);
    return clock;
  }

  /** 时限重算 after a calendar correction, while the clock has not warned yet. */
  private recompute(clock: Clock, why: 'calendar' | 'pause', deadline: Date, warningAt: Date): void {
    const previous = clock.deadline;
    clock.deadline = deadline;
    clock.warningAt = warningAt;
    this.emit(
      'ticket.sla-recomputed',
      {
        clockId: clock.id,
        clock: clock.kind,
        warningAt: toOffsetIso(warningAt),
        deadline: toOffsetIso(deadline),
        previousDeadline: toOffsetIso(previous),
        reason: why === 'calendar' ? '工作日历更正' : '恢复计时：群众已补充材料',
      },
      { kind: 'deadline-moved', clock: clock.kind, clockId: clock.id, deadline, why },
    );
  }

  private maybeCalendarCorrection(clock: Clock, p: number): void {
    if (!this.p.chance(p)) return;
    const at = new Date(this.now.getTime() + this.p.between(1, 20) * MINUTE);
    if (at >= clock.warningAt) return;
    this.advanceTo(at);
    if (clock.stage !== 'warning' || clock.status !== 'running') return;
    const span = clock.deadline.getTime() - this.now.getTime();
    // A holiday added (later) or a make-up working day found (earlier), never into the past.
    const shift = this.p.chance(0.7) ? this.p.between(0.05, 0.5) * span : -this.p.between(0.05, 0.3) * span;
    const deadline = new Date(Math.round(clock.deadline.getTime() + shift));
    const warningAt = new Date(Math.round(clock.warningAt.getTime() + shift));
    if (warningAt <= this.now) return;
    this.recompute(clock, 'calendar', deadline, warningAt);
  }

  // ---- the story ------------------------------------------------------------------------

  run(): Fact[] {
    const t = this.ticket;
    this.emit(
      'ticket.received',
      {
        number: t.number,
        channel: t.channel,
        demandType: t.demandType,
        domain: t.domain,
        categoryCode: t.categoryCode ?? undefined,
        urgency: t.urgency,
        regionCode: t.regionCode,
        title: t.title,
        content: `${t.title}，请尽快处理。`,
        callerPhoneHash: this.p.hex(64),
        employerName: t.employerName ?? undefined,
        peopleAffected: t.domain === 'wage-arrears' ? this.p.int(1, 60) : undefined,
        receivedAt: toOffsetIso(t.receivedAt),
        disposition: t.resolvedOnCall ? 'resolved-on-call' : 'dispatch',
      },
      { kind: 'received' },
      actor.operator,
    );
    this.planRepeats();
    try {
      if (t.resolvedOnCall) this.resolvedOnCall();
      else this.dispatchAndHandle();
    } catch (stop) {
      if (!(stop instanceof Stalled)) throw stop;
    }
    // What is still to come happens after the cutoff; timers and repeat calls up to it happen.
    this.advanceTo(this.options.cutoff);
    return this.facts.filter((f) => f.at <= this.options.cutoff);
  }

  private planRepeats(): void {
    if (this.options.noRepeats || !this.p.chance(0.08)) return;
    const n = this.p.weighted({ 1: 50, 2: 25, 3: 15, 4: 10 });
    const times: Date[] = [];
    for (let i = 0; i < Number(n); i++) {
      const at = new Date(this.ticket.receivedAt.getTime() + this.p.between(0.05, 20) * DAY);
      if (at > this.options.cutoff) continue;
      const day = dayOf(at);
      const t = this.ticket;
      if (!this.ctx.load.fits(day, t.regionCode, t.categoryCode, t.domain, t.employerName)) continue;
      this.ctx.load.add(day, t.regionCode, t.categoryCode, t.domain, t.employerName);
      times.push(at);
    }
    this.repeatsDue = times.sort((a, b) => a.getTime() - b.getTime());
  }

  /** One more of the ticket's steps; a stalled ticket stops here and waits past the cutoff. */
  private step(at: Date): void {
    this.steps += 1;
    if (this.stallAfter !== null && this.steps > this.stallAfter) throw new Stalled();
    if (at > this.options.cutoff) throw new Stalled();
    this.advanceTo(at);
  }

  private later(minMinutes: number, maxMinutes: number): Date {
    return new Date(this.now.getTime() + this.p.between(minMinutes, maxMinutes) * MINUTE);
  }

  private resolvedOnCall(): void {
    this.emit('ticket.resolved-on-call', { answer: '已在通话中解答政策要点。', resolvedAt: toOffsetIso(this.now) }, { kind: 'resolved-on-call' }, actor.operator);
    this.supervised = true;
    if (this.p.chance(0.25)) throw new Stalled(); // not called back yet
    this.callBack(false);
  }

  private dispatchAndHandle(): void {
    if (this.p.chance(0.05)) {
      this.now = new Date(this.now.getTime() + this.p.between(2, 30) * 1000);
      const suggested = this.routeDefault();
      this.emit(
        'ticket.routing-review-requested',
        {
          ...this.ticketFacts(),
          suggested: this.p.chance(0.6) ? { departmentId: suggested.id, departmentCode: suggested.code, departmentName: suggested.name } : undefined,
          reason: '规则不确定，需人工派单',
        },
        { kind: 'awaiting-dispatch' },
      );
      if (this.p.chance(0.35)) throw new Stalled(); // still in the dispatcher's queue
      this.step(this.later(10, 2 * 24 * 60));
      this.dispatch(suggested, true);
    } else {
      this.step(new Date(this.now.getTime() + this.p.between(2, 40) * 1000));
      this.dispatch(this.routeDefault(), false);
    }
    if (this.options.dispatchOnly && this.p.chance(0.5)) throw new Stalled();
    this.handle();
  }

  private routeDefault(): Dept {
    const t = this.ticket;
    const route = MUNICIPAL_ROUTES[t.domain];
    if (this.p.chance(route.p)) return this.ctx.byCode.get(this.p.pick(route.codes)) as Dept;
    return this.ctx.byCode.get(t.regionCode) as Dept;
  }

  private dispatch(dept: Dept, manual: boolean): void {
    const coHandlers =
      this.ticket.domain === 'wage-arrears' && dept.code !== 'JCZD' && this.p.chance(0.3) ? [this.ctx.byCode.get('JCZD') as Dept] : [];
    this.dept = dept;
    this.assignedAt = this.now;
    this.supervised = true;
    this.pendingCoHandlers = coHandlers;
    this.emit(
      'ticket.assigned',
      {
        ...this.ticketFacts(),
        departmentId: dept.id,
        departmentCode: dept.code,
        departmentName: dept.name,
        receivedAt: toOffsetIso(this.ticket.receivedAt),
        routing: manual ? { ruleId: 'manual', reason: '人工派单' } : { ruleId: 'default@1', reason: `默认规则：${dept.name}` },
        coHandlers: coHandlers.map((d) => ({ departmentId: d.id, departmentCode: d.code, departmentName: d.name })),
        title: this.ticket.title,
      },
      { kind: 'dispatched', dept: dept.id },
      manual ? actor.dispatcher : SYSTEM_ACTOR,
    );
    this.stopClocks();
    this.startClock('sign-for', dept.id);
  }

  private otherDepartment(): Dept {
    const current = this.dept as Dept;
    for (;;) {
      const candidate = this.p.chance(0.6)
        ? (this.ctx.byCode.get(this.p.pick(REGIONS).code) as Dept)
        : (this.ctx.byCode.get(this.p.pick(MUNICIPAL_ROUTES[this.ticket.domain].codes.concat(['FWZX', 'LDGXC']))) as Dept);
      if (candidate.id !== current.id) return candidate;
    }
  }

  private move(how: 'return-accepted' | 'transfer'): void {
    const from = this.dept as Dept;
    const to = this.otherDepartment();
    this.dept = to;
    this.assignedAt = this.now;
    this.pendingCoHandlers = [];
    this.emit(
      'ticket.reassigned',
      {
        ...this.ticketFacts(),
        kind: how,
        fromDepartmentId: from.id,
        departmentId: to.id,
        departmentCode: to.code,
        departmentName: to.name,
        coHandlers: [],
        reason: how === 'transfer' ? '转办至对口单位' : '退单理由成立，改派',
      },
      { kind: 'moved', from: from.id, dept: to.id, how },
      actor.dispatcher,
    );
    this.stopClocks();
    this.startClock('sign-for', to.id);
  }

  /** From assignment (or reopening) to the reply and on to the call-back. */
  private handle(): void {
    for (;;) {
      this.signFor();
      if (this.replyPhase() === 'moved') continue;
      const outcome = this.reviewAndCallBack();
      if (outcome === 'closed') return;
      // Reopened: the same department signs again, unless the dispatcher moves it.
    }
  }

  private signFor(): void {
    for (;;) {
      const dept = this.dept as Dept;
      const clock = this.runningClock('sign-for');
      this.maybeCalendarCorrection(clock, 0.05);
      const windowEnds = new Date((this.assignedAt as Date).getTime() + RETURN_WINDOW_HOURS[this.ticket.urgency] * HOUR);
      const roll = this.p.next();
      if (roll < 0.08 && this.returnCount < 2 && windowEnds.getTime() - this.now.getTime() > 10 * MINUTE) {
        // 退单, then the dispatcher's decision.
        this.step(new Date(this.p.between(this.now.getTime() + 5 * MINUTE, windowEnds.getTime() - MINUTE)));
        this.returnCount += 1;
        this.emit(
          'ticket.returned',
          { departmentId: dept.id, reason: '不属于本单位职责', returnCount: this.returnCount, returnedAt: toOffsetIso(this.now) },
          { kind: 'returned', dept: dept.id },
          actor.handler(dept.id),
        );
        this.step(this.later(10, 6 * 60));
        if (this.p.chance(0.35)) {
          this.emit('ticket.return-rejected', { departmentId: dept.id, reason: '属地承办' }, { kind: 'return-rejected', dept: dept.id }, actor.dispatcher);
          continue; // back to the same department, its clock still running
        }
        this.move('return-accepted');
        continue;
      }
      if (roll < 0.11) {
        this.step(this.later(10, 10 * 60));
        this.move('transfer');
        continue;
      }
      this.maybeUrge(0.04);
      // 签收, on time or late against the clock in force.
      const live = this.runningClock('sign-for');
      const room = live.deadline.getTime() - this.now.getTime();
      const onTimeAim = this.p.chance(0.85) && room > 3 * MINUTE;
      // Some handlers sign as soon as the ticket shows in their inbox.
      const prompt = onTimeAim && room > 70 * MINUTE && this.p.chance(0.12);
      const at = prompt
        ? new Date(this.now.getTime() + this.p.between(5, 60) * MINUTE)
        : onTimeAim
          ? new Date(this.now.getTime() + MINUTE + this.p.between(0, 0.9) * (room - 2 * MINUTE))
          : new Date(Math.max(live.deadline.getTime(), this.now.getTime()) + this.p.between(1, 36 * 60) * MINUTE);
      this.step(at);
      const onTime = this.now.getTime() <= this.runningClock('sign-for').deadline.getTime();
      this.emit(
        'ticket.accepted',
        { departmentId: dept.id, acceptedAt: toOffsetIso(this.now) },
        { kind: 'signed', dept: dept.id, onTime },
        actor.handler(dept.id),
      );
      this.stopClocks();
      this.startClock('reply', dept.id);
      return;
    }
  }

  private maybeUrge(p: number): void {
    if (!this.p.chance(p)) return;
    this.step(this.later(5, 120));
    const dept = this.dept?.id ?? null;
    if (this.p.chance(0.7)) {
      this.emit('ticket.urged', { departmentId: dept ?? undefined, note: '请尽快办理' }, { kind: 'urged', dept }, actor.supervisor);
    } else {
      this.escalate(Math.min(3, Math.max(2, this.escalationLevel)) as 2 | 3, 'manual', actor.supervisor);
    }
  }

  /** Between signing and replying; 'moved' when the ticket went to another department instead. */
  private replyPhase(): 'replied' | 'moved' {
    const dept = this.dept as Dept;
    if (this.p.chance(0.02)) {
      this.step(this.later(30, 12 * 60));
      this.move('transfer');
      return 'moved';
    }
    for (const co of this.pendingCoHandlers) {
      this.step(this.later(30, 20 * 60));
      this.emit('ticket.co-handling-noted', { departmentId: co.id, content: '协办单位已核实情况' }, { kind: 'co-handled', dept: co.id }, actor.handler(co.id));
    }
    this.pendingCoHandlers = [];
    this.maybeCalendarCorrection(this.runningClock('reply'), 0.03);
    if (this.p.chance(0.05)) this.pause(dept);
    if (this.p.chance(0.1)) this.extension(dept);
    if (this.p.chance(0.03)) {
      this.step(this.later(30, 24 * 60));
      this.emit(
        'ticket.supplemented',
        { supplementId: this.p.uuid(), content: '补充说明情况', attachments: [], supplementedAt: toOffsetIso(this.now) },
        { kind: 'supplemented' },
        actor.operator,
      );
    }
    this.maybeUrge(0.05);
    this.reply(dept, 0.8);
    return 'replied';
  }

  private pause(dept: Dept): void {
    const clock = this.runningClock('reply');
    if (clock.deadline.getTime() - this.now.getTime() < 12 * HOUR) return;
    this.step(this.later(10, 120));
    const requestId = this.p.uuid();
    this.emit('ticket.pause-requested', { requestId, departmentId: dept.id, reason: '等待群众补充材料' }, { kind: 'pause-asked', dept: dept.id }, actor.handler(dept.id));
    this.step(this.later(10, 120));
    const approved = clock.status === 'running' && clock.deadline > this.now && this.p.chance(0.6);
    if (approved) {
      clock.status = 'paused';
      clock.remaining = clock.deadline.getTime() - this.now.getTime();
    }
    this.emit('ticket.pause-decided', { requestId, approved, comment: approved ? '同意暂停计时' : '不同意暂停' }, { kind: 'pause-decided', approved }, actor.supervisor);
    if (!approved) return;
    // The citizen brings the materials: supplemented, and the clock runs again with its time back.
    this.step(this.later(2 * 60, 3 * 24 * 60));
    this.emit(
      'ticket.supplemented',
      { supplementId: this.p.uuid(), content: '已补充劳动合同复印件', attachments: [{ name: '合同.pdf', reference: 'attachment:x' }], supplementedAt: toOffsetIso(this.now) },
      { kind: 'supplemented' },
      actor.operator,
    );
    const gap = clock.deadline.getTime() - clock.warningAt.getTime();
    const deadline = new Date(this.now.getTime() + (clock.remaining as number));
    const warningAt = new Date(Math.max(this.now.getTime(), deadline.getTime() - gap));
    clock.status = 'running';
    clock.remaining = undefined;
    this.recompute(clock, 'pause', deadline, warningAt);
  }

  private extension(dept: Dept): void {
    const clock = this.runningClock('reply');
    if (clock.deadline.getTime() - this.now.getTime() < 8 * HOUR) return;
    const days = this.p.int(1, 5);
    this.step(new Date(this.p.between(this.now.getTime() + 10 * MINUTE, clock.deadline.getTime() - 6 * HOUR)));
    const requestId = this.p.uuid();
    this.emit(
      'ticket.extension-requested',
      { requestId, departmentId: dept.id, workingDays: days, reason: '需调取材料' },
      { kind: 'extension-asked', dept: dept.id, days },
      actor.handler(dept.id),
    );
    this.step(this.later(10, 120));
    const approved = this.p.chance(0.7) && this.extensionDays + days <= 10;
    let deadline: Date | null = null;
    if (approved) {
      this.extensionDays += days;
      clock.deadline = new Date(clock.deadline.getTime() + days * DAY);
      clock.warningAt = new Date(clock.warningAt.getTime() + days * DAY);
      if (clock.stage !== 'done') clock.stage = clock.warningAt > this.now ? 'warning' : 'deadline';
      deadline = clock.deadline;
    }
    this.emit(
      'ticket.extension-decided',
      { requestId, approved, replyDeadline: deadline ? toOffsetIso(deadline) : undefined, comment: approved ? `同意延期${days}个工作日` : '不同意延期' },
      { kind: 'extension-decided', approved, deadline },
      actor.supervisor,
    );
  }

  private reply(dept: Dept, onTimeChance: number): void {
    const clock = this.runningClock('reply');
    const room = clock.deadline.getTime() - this.now.getTime();
    const at =
      this.p.chance(onTimeChance) && room > 15 * MINUTE
        ? new Date(this.now.getTime() + 10 * MINUTE + this.p.between(0, 0.9) * (clock.deadline.getTime() - this.now.getTime() - 11 * MINUTE))
        : new Date(Math.max(clock.deadline.getTime(), this.now.getTime()) + this.p.between(10, 6 * 24 * 60) * MINUTE);
    this.step(at);
    this.lastReplyOnTime = this.now.getTime() <= this.runningClock('reply').deadline.getTime();
    this.emit(
      'ticket.replied',
      { departmentId: dept.id, content: '已核实并答复来电人。', outcome: this.p.pick(['resolved', 'partly', 'unresolved'] as const), repliedAt: toOffsetIso(this.now) },
      { kind: 'replied', dept: dept.id, onTime: this.lastReplyOnTime },
      actor.handler(dept.id),
    );
    this.stopClocks();
  }

  /** 审核 and 回访; 'closed', or 'reopened' when the citizen was not satisfied. */
  private reviewAndCallBack(): 'closed' | 'reopened' {
    const dept = this.dept as Dept;
    for (;;) {
      this.step(this.later(20, 20 * 60));
      const approved = this.rejections >= 2 || this.p.chance(0.85);
      this.emit('ticket.reply-reviewed', { approved, comment: approved ? '答复规范' : '答复不完整，请补充' }, { kind: 'reviewed', approved }, actor.supervisor);
      if (approved) {
        // Supervision starts the call-back clock in the approval's own transaction.
        this.startClock('callback', dept.id, false);
        break;
      }
      this.rejections += 1;
      // Back to the handler; the reply clock runs on against its deadline.
      const clock = [...this.clocks].reverse().find((c) => c.kind === 'reply') as Clock;
      clock.status = 'running';
      this.reply(dept, 0.6);
    }
    return this.callBack(true);
  }

  private callBack(reopenable: boolean): 'closed' | 'reopened' {
    let attempt = 0;
    for (;;) {
      this.step(this.later(60, 30 * 60));
      attempt += 1;
      let satisfaction = this.p.weighted({ satisfied: 62, 'basically-satisfied': 18, unsatisfied: 12, unreachable: 8 }) as Satisfaction;
      if (satisfaction === 'unsatisfied' && this.reopenCount >= 2) satisfaction = 'basically-satisfied';
      const dept = this.dept?.id ?? null;
      this.emit('ticket.callback-recorded', { satisfaction, note: '回访记录', attempt }, { kind: 'called-back', satisfaction, attempt, dept }, actor.operator);
      const close = (outcome: Satisfaction) => {
        this.closed = true;
        this.stopClocks();
        this.emit(
          'ticket.closed',
          { outcome, closedAt: toOffsetIso(this.now) },
          { kind: 'closed', dept, onTime: this.lastReplyOnTime },
          actor.operator,
        );
        return 'closed' as const;
      };
      if (satisfaction === 'satisfied' || satisfaction === 'basically-satisfied') return close(satisfaction);
      if (satisfaction === 'unreachable') {
        if (attempt >= 3) return close('unreachable');
        continue;
      }
      if (!reopenable || !dept) return close('unsatisfied');
      this.reopenCount += 1;
      this.stopClocks();
      this.emit(
        'ticket.reopened',
        { departmentId: dept, reason: '回访不满意：问题仍未解决', reopenCount: this.reopenCount },
        { kind: 'reopened', dept },
        actor.operator,
      );
      this.startClock('sign-for', dept, false);
      if (this.p.chance(0.25)) {
        this.step(this.later(30, 8 * 60));
        this.move('transfer');
      }
      return 'reopened';
    }
  }
}

class Stalled extends Error {}

// ---- the workload ---------------------------------------------------------------------------

function newTicket(ctx: GeneratorContext, options: StoryOptions): TicketAttributes {
  const p = ctx.prng;
  const domain = options.domain ?? p.weighted(DOMAIN_WEIGHTS);
  const demandType = p.weighted(DEMAND_WEIGHTS);
  const regionCode = options.regionCode ?? (p.chance(0.4) ? p.pick(REGIONS.slice(0, 9)).code : p.pick(REGIONS).code);
  const day = dayOf(options.receivedAt);
  let employerName: string | null = null;
  if ((domain === 'wage-arrears' || domain === 'labour-relations') && options.categoryCode === undefined && p.chance(0.7)) {
    employerName = p.pick(EMPLOYERS);
  }
  let categoryCode: string | null = null;
  if (options.categoryCode !== undefined) {
    categoryCode = options.categoryCode;
  } else {
    // A category most of the time; never so many of one matter a day that history has a hotspot.
    let found = false;
    for (let tries = 0; tries < 6 && !found; tries++) {
      const candidate = p.chance(0.8) ? p.pick(CATEGORIES[domain]) : null;
      if (ctx.load.fits(day, regionCode, candidate, domain, employerName)) {
        categoryCode = candidate;
        found = true;
      }
    }
    if (!found) employerName = null;
    ctx.load.add(day, regionCode, categoryCode, domain, employerName);
  }
  const resolvedOnCall = options.phase === 'history' && demandType === 'consultation' && p.chance(0.3);
  ctx.nextNumber += 1;
  return {
    id: p.uuid(),
    number: `12333-${day.replace(/-/g, '')}-${String(ctx.nextNumber).padStart(6, '0')}`,
    channel: p.weighted(CHANNEL_WEIGHTS),
    demandType,
    domain,
    urgency: domain === 'wage-arrears' && p.chance(0.4) ? 'urgent' : p.chance(0.08) ? 'urgent' : 'normal',
    regionCode,
    categoryCode,
    employerName,
    title: p.pick(TITLES[domain]),
    receivedAt: options.receivedAt,
    resolvedOnCall,
  };
}

function story(ctx: GeneratorContext, options: StoryOptions): TicketStory {
  const ticket = newTicket(ctx, options);
  const facts = new TicketSimulation(ctx, ticket, options).run();
  return { ticket, phase: options.phase, facts };
}

/** A receipt instant in the history: mostly office hours, some at night and around midnight. */
function historyInstant(p: Prng): Date {
  const days = Math.floor((HISTORY.to.getTime() - HISTORY.from.getTime()) / DAY) + 1;
  const day = addDays(dayOf(HISTORY.from), p.int(0, days - 1));
  const minuteOfDay = p.chance(0.8) ? p.int(8 * 60, 18 * 60 - 1) : p.chance(0.3) ? p.pick([p.int(0, 20), p.int(23 * 60 + 30, 24 * 60 - 1)]) : p.int(0, 24 * 60 - 1);
  return new Date(shanghai(`${day}T00:00:00.000`).getTime() + minuteOfDay * MINUTE + p.int(0, 59) * 1000);
}

/**
 * The whole workload: `count` tickets of history, then the hotspot scenario around `now`:
 * a region whose category had at most one demand a day has 8 today (the spike), another region
 * has 3 of the same category (quiet), and a third has 5 of a category that runs at 2 a day (busy,
 * below three times its baseline).
 */
export function generateWorkload(seed: number, count: number, now: Date): Workload {
  const prng = new Prng(seed);
  const catalog = departmentCatalog();
  const ctx: GeneratorContext = {
    prng,
    departments: new Map(catalog.map((d) => [d.id, d])),
    byCode: new Map(catalog.map((d) => [d.code, d])),
    load: new MatterLoad(),
    nextNumber: 0,
    lagWindows: [],
  };
  // Three afternoons on which supervision's consumer fell behind for a few hours.
  for (let i = 0; i < 3; i++) {
    const day = addDays(dayOf(HISTORY.from), prng.int(3, 55));
    const from = new Date(shanghai(`${day}T13:30:00.000`).getTime() + prng.int(0, 90) * MINUTE);
    ctx.lagWindows.push({ from, to: new Date(from.getTime() + prng.between(2.5, 3.5) * HOUR) });
  }
  const cutoff = new Date(Math.min(HISTORY.cutoff.getTime(), now.getTime() - MINUTE));
  const stories: TicketStory[] = [];
  for (let i = 0; i < count; i++) stories.push(story(ctx, { phase: 'history', receivedAt: historyInstant(prng), cutoff }));

  const today = dayOf(now);
  const startOfToday = shanghai(`${today}T00:00:00.000`).getTime();
  const regions = [...REGIONS];
  for (let i = regions.length - 1; i > 0; i--) {
    const j = prng.int(0, i);
    [regions[i], regions[j]] = [regions[j], regions[i]];
  }
  const [spikeRegion, quietRegion, busyRegion] = regions.map((r) => r.code);
  const recentCutoff = new Date(now.getTime() - MINUTE);
  const at = (day: string, minute: number) => new Date(shanghai(`${day}T00:00:00.000`).getTime() + minute * MINUTE);
  const baselineStory = (regionCode: string, categoryCode: string, receivedAt: Date) =>
    story(ctx, {
      phase: 'baseline',
      receivedAt,
      cutoff: recentCutoff,
      regionCode,
      domain: categoryCode === SPIKE_CATEGORY ? 'labour-relations' : 'social-insurance',
      categoryCode,
      noRepeats: true,
    });
  // Baseline: the 28 days before today.
  const spikeDays = new Set<number>();
  while (spikeDays.size < 6) spikeDays.add(prng.int(1, 28));
  for (const back of spikeDays) stories.push(baselineStory(spikeRegion, SPIKE_CATEGORY, at(addDays(today, -back), prng.int(8 * 60, 18 * 60))));
  for (const back of [prng.int(1, 14), prng.int(15, 28)]) {
    stories.push(baselineStory(quietRegion, SPIKE_CATEGORY, at(addDays(today, -back), prng.int(8 * 60, 18 * 60))));
  }
  for (let back = 1; back <= 28; back++) {
    for (let k = 0; k < 2; k++) stories.push(baselineStory(busyRegion, BUSY_CATEGORY, at(addDays(today, -back), prng.int(8 * 60, 18 * 60))));
  }
  // Today, before now.
  const todayInstant = () => new Date(startOfToday + prng.between(0, Math.max(now.getTime() - 2 * MINUTE - startOfToday, 0)));
  const todayStory = (regionCode: string, categoryCode: string) =>
    story(ctx, {
      phase: 'today',
      receivedAt: todayInstant(),
      cutoff: recentCutoff,
      regionCode,
      domain: categoryCode === SPIKE_CATEGORY ? 'labour-relations' : 'social-insurance',
      categoryCode,
      noRepeats: true,
      dispatchOnly: true,
    });
  const spike = Array.from({ length: 8 }, () => todayStory(spikeRegion, SPIKE_CATEGORY));
  const quiet = Array.from({ length: 3 }, () => todayStory(quietRegion, SPIKE_CATEGORY));
  const busy = Array.from({ length: 5 }, () => todayStory(busyRegion, BUSY_CATEGORY));
  stories.push(...spike, ...quiet, ...busy);
  return {
    seed,
    today,
    stories,
    spike: { regionCode: spikeRegion, categoryCode: SPIKE_CATEGORY, ticketIds: spike.map((s) => s.ticket.id), baseline: spikeDays.size },
    quiet: { regionCode: quietRegion, categoryCode: SPIKE_CATEGORY, today: quiet.length },
    busy: { regionCode: busyRegion, categoryCode: BUSY_CATEGORY, today: busy.length, baseline: 56 },
    departments: ctx.departments,
    lagWindows: ctx.lagWindows,
  };
}
