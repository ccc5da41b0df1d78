/**
 * 故障演练负载 — the generated workload and the ground truth it keeps.
 *
 * Each ticket follows a script (the full loop, a rejected reply, 重办 after an unsatisfied
 * call-back, a consultation answered on the call, a repeated demand, tickets left open at some
 * step, tickets left to their SLA timers) driven through the gateway as the demo users. The
 * generator writes down only what it was told: which requests were answered 2xx (with the ids
 * returned), which were certainly not applied, and which are in doubt. The checks compare every
 * service's view with what follows from that record alone.
 */
import { departmentCatalog } from '@hotline/contracts';
import { GatewayClient } from './http';
import { Prng } from './prng';
import { sleep } from './servers';

export type ScriptKind =
  | 'full'
  | 'reject-then-approve'
  | 'reopen'
  | 'on-call'
  | 'repeat'
  | 'stop-accepted'
  | 'stop-replied'
  | 'timer-unsigned'
  | 'timer-late-reply';

export type ActionType =
  | 'create'
  | 'repeat'
  | 'accept'
  | 'reply'
  | 'review-approve'
  | 'review-reject'
  | 'callback-satisfied'
  | 'callback-basically-satisfied'
  | 'callback-unsatisfied';

/**
 * applied: a 2xx, or (after an in-doubt attempt) the owning service refusing a retry because the
 * ticket is already in the state the action leads to. in-doubt: no answer tells. not-applied:
 * every attempt was certainly refused. stuck: the action never became possible in time.
 */
export type ActionStatus = 'applied' | 'in-doubt' | 'not-applied' | 'stuck';

export interface ActionRecord {
  type: ActionType;
  status: ActionStatus;
  /** When the generator learned the outcome (ms since the epoch). */
  at: number;
  attempts: number;
  /** Attempts whose outcome was in doubt (5xx, reset, timeout). */
  doubtful: number;
  confirmedBy?: '2xx' | 'state';
  detail?: string;
}

export interface TicketTruth {
  seq: number;
  script: ScriptKind;
  title: string;
  phone: string;
  demandType: string;
  domain: string;
  urgency: 'normal' | 'urgent';
  regionCode: string;
  channel: string;
  /** The region's bureau: where the default routing rule sends the ticket. */
  departmentId: string;
  handler: string;
  /** Runs on the minute-long SLA policy the suite publishes. */
  timer: boolean;
  /** The repeat script's second call comes right after the first is answered. */
  immediateRepeat: boolean;
  id: string | null;
  number: string | null;
  actions: ActionRecord[];
  /** What the generator saw that the API contract forbids (e.g. a repeat not linked). */
  anomalies: string[];
  createdAt: number | null;
  finishedAt: number | null;
}

export interface WorkloadOptions {
  tickets: number;
  loadMs: number;
  /**
   * How long one step may keep being refused as "not yet possible" before the ticket is stuck —
   * counting only time in which no fault is in progress (see `disturbed`).
   */
  stepTimeoutMs: number;
  /** True while a fault is in progress or just recovered from. */
  disturbed: () => boolean;
  thinkMs: [number, number];
  /** Prefix of every title, so tickets of this run (even unacknowledged ones) can be found. */
  runTag: string;
  /** Include tickets signed for late and left (their reply clock runs out ~100 s after receipt). */
  lateTimers: boolean;
  log: (message: string) => void;
}

/** Demand types with a minute-long SLA in this run (see TIMER_POLICY). */
export const TIMER_DEMAND_TYPE = 'suggestion';

/** The SLA rules the suite publishes before the load: minutes, so warnings and overdue fire within the run. */
export const TIMER_POLICY = {
  rules: (['normal', 'urgent'] as const).map((urgency) => ({
    demandType: TIMER_DEMAND_TYPE,
    urgency,
    signFor: { amount: 1, unit: 'minutes' },
    reply: { amount: 1, unit: 'minutes' },
    warningFraction: 0.5,
  })),
  note: '故障演练：建议类分钟级时限，使预警与超期在演练中触发',
};

const SCRIPT_WEIGHTS: Record<ScriptKind, number> = {
  full: 30,
  'reject-then-approve': 9,
  reopen: 9,
  'on-call': 9,
  repeat: 7,
  'stop-accepted': 9,
  'stop-replied': 7,
  'timer-unsigned': 10,
  'timer-late-reply': 10,
};

const STEPS: Record<ScriptKind, (Exclude<ActionType, 'create'> | 'wait-late')[]> = {
  full: ['accept', 'reply', 'review-approve', 'callback-satisfied'],
  'reject-then-approve': ['accept', 'reply', 'review-reject', 'reply', 'review-approve', 'callback-basically-satisfied'],
  reopen: ['accept', 'reply', 'review-approve', 'callback-unsatisfied', 'accept', 'reply', 'review-approve', 'callback-satisfied'],
  'on-call': ['callback-satisfied'],
  repeat: ['repeat', 'accept', 'reply', 'review-approve', 'callback-satisfied'],
  'stop-accepted': ['accept'],
  'stop-replied': ['accept', 'reply'],
  'timer-unsigned': [],
  'timer-late-reply': ['wait-late', 'accept'],
};

/** Regions whose bureaus take the load (the default rule routes a ticket without category there). */
const REGIONS = ['500103', '500104', '500105', '500106', '500107', '500108', '500112', '500113', 'LJXQ', '500241'];
const DOMAINS = ['wage-arrears', 'employment', 'social-insurance', 'labour-relations', 'social-security-card', 'business-environment'];
const DEMANDS = ['complaint', 'help', 'report', 'consultation'];
const CHANNELS = ['phone', 'web', 'direct-report'];
const CONTENT: Record<string, string> = {
  'wage-arrears': '某餐馆拖欠服务员两个月工资，老板拒不支付，请求督促发放。',
  employment: '咨询高校毕业生一次性就业补贴的申请条件和办理渠道。',
  'social-insurance': '单位未按时为职工缴纳养老保险，请求核查并督促补缴。',
  'labour-relations': '用人单位招用员工超过一个月未签订书面劳动合同。',
  'social-security-card': '社保卡遗失，希望办理挂失补办并邮寄到家。',
  'business-environment': '建议优化新开办企业社保登记流程，实现一网通办。',
};

/** A 409's "ticket is X" / "ticket that is X": the state the owning service says it is in. */
function stateIn(messages: string[]): string | null {
  for (const m of messages) {
    const found = /ticket (?:that )?is ([a-z-]+)/.exec(m);
    if (found) return found[1];
  }
  return null;
}

interface StepSpec {
  user: string;
  path: string;
  body: unknown;
  /** States a refusal names when the action has been applied already. */
  doneStates: string[];
  /** …of which these are also where the ticket waits before the action is possible. */
  ambiguous?: string[];
}

/** A step's patience: spent only while the system is not disturbed by a fault (capped at 20 min). */
class Patience {
  private spent = 0;
  private last = Date.now();
  private readonly started = Date.now();

  constructor(
    private readonly budgetMs: number,
    private readonly disturbed: () => boolean,
  ) {}

  exhausted(): boolean {
    const now = Date.now();
    if (!this.disturbed()) this.spent += now - this.last;
    this.last = now;
    return this.spent > this.budgetMs || now - this.started > 20 * 60_000;
  }
}

export class Workload {
  readonly tickets: TicketTruth[] = [];
  private readonly bureaus = new Map(departmentCatalog().filter((d) => d.kind === 'region-bureau').map((d) => [d.code, d]));
  private stopped = false;

  constructor(
    private readonly http: GatewayClient,
    private readonly rng: Prng,
    private readonly options: WorkloadOptions,
  ) {}

  /** Plans every ticket up front (so the plan depends on the seed alone). */
  plan(): TicketTruth[] {
    for (let seq = 1; seq <= this.options.tickets; seq++) {
      let script = this.rng.weighted(SCRIPT_WEIGHTS);
      if (script === 'timer-late-reply' && !this.options.lateTimers) script = 'timer-unsigned';
      // Timer tickets late in the load would keep the run waiting for their deadlines.
      const late = seq / this.options.tickets > (this.options.lateTimers ? 0.75 : 0.4);
      if (late && script.startsWith('timer')) script = 'full';
      const timer = script.startsWith('timer');
      const regionCode = this.rng.pick(REGIONS);
      const bureau = this.bureaus.get(regionCode);
      if (!bureau) throw new Error(`no region bureau for ${regionCode}`);
      const domain = script === 'on-call' ? 'social-insurance' : this.rng.pick(DOMAINS);
      const demandType = timer ? TIMER_DEMAND_TYPE : script === 'on-call' ? 'consultation' : this.rng.pick(DEMANDS);
      this.tickets.push({
        seq,
        script,
        title: `[${this.options.runTag}#${seq}] ${script}`,
        phone: `15${String(seq).padStart(9, '0')}`,
        demandType,
        domain,
        urgency: this.rng.chance(0.25) ? 'urgent' : 'normal',
        regionCode,
        channel: this.rng.pick(CHANNELS),
        departmentId: bureau.id,
        handler: `handler.${bureau.code.toLowerCase()}`,
        timer,
        immediateRepeat: script === 'repeat' && this.rng.chance(0.5),
        id: null,
        number: null,
        actions: [],
        anomalies: [],
        createdAt: null,
        finishedAt: null,
      });
    }
    return this.tickets;
  }

  /** Starts the tickets spread over the load window; resolves when every script has ended. */
  async run(): Promise<void> {
    const start = Date.now();
    const spacing = this.options.loadMs / Math.max(1, this.tickets.length);
    const scripts: Promise<void>[] = [];
    for (const [i, ticket] of this.tickets.entries()) {
      const at = start + (i + this.rng.between(0, 0.9)) * spacing;
      if (at > Date.now()) await sleep(at - Date.now());
      if (this.stopped) break;
      scripts.push(
        this.runTicket(ticket).catch((err) => {
          ticket.anomalies.push(`script crashed: ${(err as Error).stack ?? err}`);
        }),
      );
    }
    await Promise.all(scripts);
  }

  stop(): void {
    this.stopped = true;
  }

  private think(): Promise<void> {
    return sleep(this.rng.between(this.options.thinkMs[0], this.options.thinkMs[1]));
  }

  private async runTicket(t: TicketTruth): Promise<void> {
    if (!(await this.create(t))) {
      t.finishedAt = Date.now();
      return;
    }
    for (const step of STEPS[t.script]) {
      if (this.stopped) break;
      if (step === 'wait-late') {
        // Sign for it after the sign-for clock's warning (30 s) but before its deadline (60 s).
        const until = (t.createdAt ?? Date.now()) + 36_000;
        if (until > Date.now()) await sleep(until - Date.now());
        continue;
      }
      // Half the repeats come at once: the same caller again while the ticket is still being routed.
      if (step !== 'repeat' || !t.immediateRepeat) await this.think();
      const records = step === 'repeat' ? await this.repeat(t) : [await this.perform(t, step)];
      t.actions.push(...records);
      const last = records[records.length - 1];
      if (last.status === 'stuck' || last.status === 'not-applied') break;
    }
    t.finishedAt = Date.now();
  }

  private newTicketBody(t: TicketTruth): Record<string, unknown> {
    return {
      channel: t.channel,
      demandType: t.demandType,
      domain: t.domain,
      urgency: t.urgency,
      regionCode: t.regionCode,
      title: t.title,
      content: `${CONTENT[t.domain]}（演练工单 ${t.title}）`,
      caller: { name: '演练来电人', phone: t.phone },
      ...(t.script === 'on-call' ? { resolveOnCall: { answer: '失业保险金可在参保地经办机构或网上办事大厅申领。' } } : {}),
    };
  }

  /**
   * 受理. A refused connection is retried as is (nothing was sent). After an answer in doubt the
   * same demand is sent again: had the first been recorded, the second is linked to it (并单, the
   * same caller with an open ticket), which both reveals the ticket's id and adds a repeat the
   * record must then count.
   */
  private async create(t: TicketTruth): Promise<boolean> {
    const record: ActionRecord = { type: 'create', status: 'not-applied', at: 0, attempts: 0, doubtful: 0 };
    t.actions.push(record);
    const patience = new Patience(this.options.stepTimeoutMs, this.options.disturbed);
    for (let wait = 300; ; wait = Math.min(wait * 1.5, 3_000)) {
      record.attempts += 1;
      const answer = await this.http.as('operator', 'POST', '/api/tickets', this.newTicketBody(t));
      record.at = Date.now();
      if (answer.kind === 'ok') {
        const body = answer.body as { outcome?: string; id: string; number: string };
        record.status = 'applied';
        t.id = body.id;
        t.number = body.number;
        t.createdAt = record.at;
        if (body.outcome === 'linked' && record.doubtful > 0) {
          // An attempt in doubt created it; this one (and perhaps others in doubt) repeated it.
          record.confirmedBy = 'state';
          for (let i = 1; i < record.doubtful; i++) t.actions.push({ type: 'repeat', status: 'in-doubt', at: record.at, attempts: 1, doubtful: 1 });
          t.actions.push({ type: 'repeat', status: 'applied', at: record.at, attempts: 1, doubtful: 0, confirmedBy: '2xx', detail: 'the retry of a creation in doubt' });
        } else {
          record.confirmedBy = '2xx';
          if (body.outcome !== 'created') t.anomalies.push(`a new caller's demand was answered ${body.outcome}, not created`);
        }
        return true;
      }
      if (answer.kind === 'doubt') {
        record.doubtful += 1;
        record.detail = answer.detail;
      } else if (answer.kind === 'rejected') {
        record.detail = `${answer.status} ${answer.messages.join('; ')}`;
        record.status = record.doubtful ? 'in-doubt' : 'not-applied';
        t.anomalies.push(`create refused: ${record.detail}`);
        return false;
      } else {
        record.detail = answer.detail;
      }
      if (patience.exhausted()) {
        record.status = record.doubtful ? 'in-doubt' : 'stuck';
        return false;
      }
      await sleep(wait);
    }
  }

  /**
   * 并单: the same caller again while the ticket is open must be linked to it, not made a ticket.
   * Retried after an answer in doubt; each such attempt may have linked once more.
   */
  private async repeat(t: TicketTruth): Promise<ActionRecord[]> {
    const records: ActionRecord[] = [];
    const record: ActionRecord = { type: 'repeat', status: 'not-applied', at: 0, attempts: 0, doubtful: 0 };
    const patience = new Patience(this.options.stepTimeoutMs, this.options.disturbed);
    const body = this.newTicketBody(t);
    for (let wait = 300; ; wait = Math.min(wait * 1.5, 3_000)) {
      record.attempts += 1;
      const answer = await this.http.as('operator', 'POST', '/api/tickets', body);
      record.at = Date.now();
      if (answer.kind === 'ok') {
        const linked = answer.body as { outcome?: string; id?: string };
        record.status = 'applied';
        record.confirmedBy = '2xx';
        if (linked.outcome !== 'linked' || linked.id !== t.id) {
          t.anomalies.push(`a repeat of an open ticket was answered ${JSON.stringify(linked)}, not linked to ${t.id}`);
        }
        return [...records, record];
      }
      if (answer.kind === 'doubt') {
        records.push({ type: 'repeat', status: 'in-doubt', at: record.at, attempts: 1, doubtful: 1, detail: answer.detail });
      } else if (answer.kind === 'rejected') {
        record.detail = `${answer.status} ${answer.messages.join('; ')}`;
        t.anomalies.push(`repeat refused: ${record.detail}`);
        return [...records, record];
      }
      if (patience.exhausted()) {
        record.status = 'stuck';
        return [...records, record];
      }
      await sleep(wait);
    }
  }

  /**
   * `doneStates`: the state the action leads to (the generator takes the next step only after
   * this one, so nothing else moves the ticket meanwhile). `again`: a second reply after a
   * rejected review — until assignment has learned of the rejection it still says `replied`,
   * which is then also where the ticket waits; so does a rejected review's `handling`.
   */
  private spec(t: TicketTruth, action: Exclude<ActionType, 'create' | 'repeat'>, again: boolean): StepSpec {
    const id = t.id as string;
    switch (action) {
      case 'accept':
        return {
          user: t.handler,
          path: `/api/tickets/${id}/accept`,
          body: {},
          doneStates: ['accepted'],
        };
      case 'reply':
        return {
          user: t.handler,
          path: `/api/tickets/${id}/reply`,
          body: { content: '已联系来电人并协调解决，相关款项已发放。', outcome: 'resolved' },
          doneStates: ['replied'],
          ambiguous: again ? ['replied'] : [],
        };
      case 'review-approve':
        return {
          user: 'supervisor',
          path: `/api/tickets/${id}/review`,
          body: { approved: true, comment: '答复规范' },
          doneStates: ['awaiting-callback'],
        };
      case 'review-reject':
        return {
          user: 'supervisor',
          path: `/api/tickets/${id}/review`,
          body: { approved: false, comment: '未说明办理结果' },
          doneStates: ['handling'],
          ambiguous: ['handling'],
        };
      case 'callback-satisfied':
      case 'callback-basically-satisfied':
      case 'callback-unsatisfied': {
        const satisfaction = action.slice('callback-'.length);
        return {
          user: 'operator',
          path: `/api/tickets/${id}/callback`,
          body: { satisfaction, note: satisfaction === 'unsatisfied' ? '补贴仍未到账' : '群众表示满意' },
          doneStates: satisfaction === 'unsatisfied' ? ['handling'] : ['closed'],
        };
      }
    }
  }

  /**
   * One action, retried while the ticket is not there yet (404) or not yet in the state the
   * action needs (409: the owning service learns of earlier steps through Kafka), and while the
   * answer is in doubt. After an in-doubt attempt, a refusal naming the state the action leads to
   * means that attempt was applied (nobody else acts on the generator's tickets).
   */
  private async perform(t: TicketTruth, action: Exclude<ActionType, 'create' | 'repeat'>): Promise<ActionRecord> {
    const again = t.actions.some((a) => a.type === action && a.status !== 'not-applied');
    const spec = this.spec(t, action, again);
    const record: ActionRecord = { type: action, status: 'not-applied', at: 0, attempts: 0, doubtful: 0 };
    const patience = new Patience(this.options.stepTimeoutMs, this.options.disturbed);
    let doubtAt: number | null = null;
    for (let wait = 300; ; wait = Math.min(wait * 1.5, 3_000)) {
      record.attempts += 1;
      const answer = await this.http.as(spec.user, 'POST', spec.path, spec.body);
      record.at = Date.now();
      if (answer.kind === 'ok') {
        record.status = 'applied';
        record.confirmedBy = '2xx';
        return record;
      }
      if (answer.kind === 'doubt') {
        record.doubtful += 1;
        doubtAt ??= Date.now();
        record.detail = answer.detail;
      } else if (answer.kind === 'rejected') {
        record.detail = `${answer.status} ${answer.messages.join('; ')}`;
        if (answer.status === 409) {
          const state = stateIn(answer.messages);
          if (state && spec.doneStates.includes(state)) {
            if (doubtAt !== null && !spec.ambiguous?.includes(state)) {
              record.status = 'applied';
              record.confirmedBy = 'state';
              return record;
            }
            if (doubtAt === null && !spec.ambiguous?.includes(state)) {
              t.anomalies.push(`${action}: already ${state} before the generator did it (${record.detail})`);
              record.status = 'in-doubt';
              return record;
            }
          }
        } else if (answer.status !== 404) {
          t.anomalies.push(`${action} refused: ${record.detail}`);
          record.status = doubtAt === null ? 'not-applied' : 'in-doubt';
          return record;
        }
      } else {
        record.detail = answer.detail;
      }
      if (patience.exhausted()) {
        record.status = doubtAt === null ? 'stuck' : 'in-doubt';
        if (doubtAt === null) this.options.log(`ticket #${t.seq} ${t.id}: ${action} still impossible after ${this.options.stepTimeoutMs / 1000} s (${record.detail})`);
        return record;
      }
      await sleep(wait);
    }
  }
}
