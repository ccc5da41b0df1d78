import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  OnApplicationShutdown,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import {
  CalendarDay,
  DeadlineResult,
  DEFAULT_OFFICE_HOURS,
  DurationUnit,
  formatOfficeHours,
  loadOfficialDays,
  OfficeHours,
  OfficialDays,
  WorkingCalendar,
  YearStatus,
} from '@hotline/calendar';
import { toOffsetIso } from '@hotline/contracts';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { CalendarOverrideRow, CalendarOverrideVersion, OverrideChange } from './calendar-override.entity';
import { CalendarOverrideRequest } from './calendar.request.dto';

/** Office hours for the supervision calendar; provided by SupervisionCalendarModule. */
export const CALENDAR_OFFICE_HOURS = Symbol('CALENDAR_OFFICE_HOURS');

/** How often a replica looks for overrides another replica wrote (a cheap single-row query). */
export const CALENDAR_REFRESH_MS = 30_000;

const UNIQUE_VIOLATION = '23505';

export interface OverrideVersionView {
  version: number;
  change: OverrideChange;
  kind: string;
  name: string;
  reason: string;
  active: boolean;
  changedBy: string;
  changedAt: string;
}

export interface OverrideView {
  date: string;
  kind: string;
  name: string;
  reason: string;
  active: boolean;
  version: number;
  changedBy: string;
  changedAt: string;
}

export interface CalendarDaysView extends YearStatus {
  officeHours: string;
  holidays: CalendarDayView[];
  makeUpWorkdays: CalendarDayView[];
  /** The year's overrides, withdrawn ones too. */
  overrides: OverrideView[];
}

export interface CalendarDayView {
  date: string;
  name: string;
  source: CalendarDay['source'];
  reason?: string;
}

export interface CalendarAdminView {
  source: string;
  officeHours: string;
  /** Every year the official data covers. */
  confirmedYears: number[];
  /** Last, this and next year (Asia/Shanghai), confirmed or not. */
  years: YearStatus[];
  overrides: (OverrideView & { versions: OverrideVersionView[] })[];
}

export interface OverrideWriteResult {
  date: string;
  outcome: OverrideChange | 'unchanged';
  version: number;
}

/**
 * The supervision service's working calendar: the official days with the administrators'
 * overrides, cached and rebuilt after every change.
 *
 * `calendar` is a live WorkingCalendar (`WorkingCalendar.live`) that is injected once under
 * WORKING_CALENDAR and answers each call with the calendar current at that moment, so code
 * that holds it never keeps a stale one. A change made here is visible to the next call; a
 * change made by another replica within CALENDAR_REFRESH_MS (each replica compares a cheap
 * fingerprint of the override table).
 */
@Injectable()
export class CalendarService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('calendar');
  private readonly official: OfficialDays = loadOfficialDays();
  private current: WorkingCalendar;
  private fingerprint: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private reloads: Promise<void> = Promise.resolve();

  /** Inject this (WORKING_CALENDAR) rather than keeping a snapshot. */
  readonly calendar: WorkingCalendar = WorkingCalendar.live(() => this.current);

  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(CALENDAR_OFFICE_HOURS) private readonly hours: OfficeHours = DEFAULT_OFFICE_HOURS,
  ) {
    // Until the overrides are read (before any request or event is served) the official days apply.
    this.current = WorkingCalendar.fromOverrides(this.official, [], this.hours);
  }

  async onModuleInit(): Promise<void> {
    await this.reload();
    this.warnAboutUnconfirmedYears(new Date());
    this.timer = setInterval(() => {
      this.refreshIfChanged().catch((err: unknown) =>
        this.logger.warn(`could not refresh the calendar overrides: ${(err as Error)?.message ?? String(err)}`),
      );
    }, CALENDAR_REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Logs a warning for this year and next year when the data holds no notice for them. */
  warnAboutUnconfirmedYears(now: Date): YearStatus[] {
    const year = shanghaiYear(now);
    const unconfirmed = [year, year + 1].map((y) => this.current.yearStatus(y)).filter((s) => !s.confirmed);
    for (const status of unconfirmed) {
      this.logger.warn(
        `the working calendar for ${status.year} is unconfirmed: ${status.source} holds no State Council notice for it; ` +
          `deadlines reaching it follow the weekday rule and the overrides, and are reported with confirmed: false`,
      );
    }
    return unconfirmed;
  }

  /** Reads the overrides again if any changed since the last read (by any replica). */
  async refreshIfChanged(): Promise<boolean> {
    const fingerprint = await this.readFingerprint(this.dataSource.manager);
    if (fingerprint === this.fingerprint) return false;
    await this.reload();
    return true;
  }

  /** Rebuilds the calendar from the official days and the active overrides; reloads run one after another. */
  reload(): Promise<void> {
    const run = this.reloads.then(() => this.load());
    this.reloads = run.catch(() => undefined);
    return run;
  }

  private async load(): Promise<void> {
    const { rows, fingerprint } = await this.dataSource.transaction('REPEATABLE READ', async (manager) => ({
      rows: await manager.find(CalendarOverrideRow, { where: { active: true } }),
      fingerprint: await this.readFingerprint(manager),
    }));
    this.current = WorkingCalendar.fromOverrides(this.official, rows, this.hours);
    this.fingerprint = fingerprint;
  }

  deadline(from: Date, amount: number, unit: DurationUnit): DeadlineResult {
    return this.calendar.add(from, amount, unit);
  }

  async days(year: number): Promise<CalendarDaysView> {
    const calendar = this.current;
    const special = calendar.specialDays(year);
    const view = (d: CalendarDay): CalendarDayView => ({
      date: d.date,
      name: d.name,
      source: d.source,
      ...(d.reason ? { reason: d.reason } : {}),
    });
    const overrides = await this.dataSource
      .getRepository(CalendarOverrideRow)
      .createQueryBuilder('o')
      .where(`o.date >= :first AND o.date <= :last`, { first: `${year}-01-01`, last: `${year}-12-31` })
      .orderBy('o.date', 'ASC')
      .getMany();
    return {
      ...calendar.yearStatus(year),
      officeHours: formatOfficeHours(calendar.officeHours),
      holidays: special.filter((d) => d.kind === 'holiday').map(view),
      makeUpWorkdays: special.filter((d) => d.kind === 'make-up-workday').map(view),
      overrides: overrides.map(toView),
    };
  }

  async adminView(now = new Date()): Promise<CalendarAdminView> {
    const [rows, versions] = await Promise.all([
      this.dataSource.getRepository(CalendarOverrideRow).find({ order: { date: 'ASC' } }),
      this.dataSource.getRepository(CalendarOverrideVersion).find({ order: { date: 'ASC', version: 'ASC' } }),
    ]);
    const byDate = new Map<string, OverrideVersionView[]>();
    for (const v of versions) {
      const list = byDate.get(v.date) ?? [];
      list.push({
        version: v.version,
        change: v.change,
        kind: v.kind,
        name: v.name,
        reason: v.reason,
        active: v.active,
        changedBy: v.changedBy,
        changedAt: toOffsetIso(v.changedAt),
      });
      byDate.set(v.date, list);
    }
    const year = shanghaiYear(now);
    return {
      source: this.official.source,
      officeHours: formatOfficeHours(this.current.officeHours),
      confirmedYears: [...this.official.confirmedYears].sort((a, b) => a - b),
      years: [year - 1, year, year + 1].map((y) => this.current.yearStatus(y)),
      overrides: rows.map((row) => ({ ...toView(row), versions: byDate.get(row.date) ?? [] })),
    };
  }

  /**
   * Creates or changes overrides, each change a new version with its author, all in one
   * transaction; then rebuilds the calendar. An identical request changes nothing.
   */
  async upsert(requests: CalendarOverrideRequest[], actor: string): Promise<OverrideWriteResult[]> {
    let results: OverrideWriteResult[];
    try {
      results = await this.dataSource.transaction(async (manager) => {
        const out: OverrideWriteResult[] = [];
        // In date order, so two concurrent writers lock rows in the same order.
        const ordered = requests.map((r, i) => ({ r, i })).sort((a, b) => a.r.date.localeCompare(b.r.date));
        for (const { r, i } of ordered) out[i] = await writeOne(manager, r, i, actor);
        return out;
      });
    } catch (err) {
      if (err instanceof QueryFailedError && (err.driverError as { code?: string })?.code === UNIQUE_VIOLATION) {
        throw new ConflictException(['overrides: another administrator changed the same dates meanwhile; reload and try again']);
      }
      throw err;
    }
    if (results.some((r) => r.outcome !== 'unchanged')) {
      await this.reload();
      this.logger.log(
        `calendar overrides changed by ${actor}: ` +
          results.filter((r) => r.outcome !== 'unchanged').map((r) => `${r.date} ${r.outcome} v${r.version}`).join(', '),
      );
    }
    return results;
  }

  /** Sum of versions and count of rows: rows are never deleted and versions only grow. */
  private async readFingerprint(manager: EntityManager): Promise<string> {
    const [row] = (await manager.query(
      `SELECT count(*)::text AS n, coalesce(sum(version), 0)::text AS v FROM supervision.calendar_override`,
    )) as { n: string; v: string }[];
    return `${row.n}:${row.v}`;
  }
}

async function writeOne(
  manager: EntityManager,
  request: CalendarOverrideRequest,
  index: number,
  actor: string,
): Promise<OverrideWriteResult> {
  const field = `overrides.${index}`;
  const active = request.active ?? true;
  const existing = await manager.findOne(CalendarOverrideRow, {
    where: { date: request.date },
    lock: { mode: 'pessimistic_write' },
  });
  const current = existing?.version ?? 0;
  if (request.version !== undefined && request.version !== current) {
    throw new ConflictException([
      `${field}.version: the override for ${request.date} is at version ${current}; reload it and apply the change again`,
    ]);
  }
  let change: OverrideChange;
  if (!existing) {
    if (!active) throw new ConflictException([`${field}.active: there is no override for ${request.date} to withdraw`]);
    change = 'created';
  } else {
    const same =
      existing.kind === request.kind &&
      existing.name === request.name &&
      existing.reason === request.reason &&
      existing.active === active;
    if (same) return { date: request.date, outcome: 'unchanged', version: existing.version };
    change = existing.active === active ? 'updated' : active ? 'reactivated' : 'deactivated';
  }
  const row: CalendarOverrideRow = {
    date: request.date,
    kind: request.kind,
    name: request.name,
    reason: request.reason,
    active,
    version: current + 1,
    changedBy: actor,
    changedAt: new Date(),
  };
  if (existing) await manager.update(CalendarOverrideRow, { date: row.date }, row);
  else await manager.insert(CalendarOverrideRow, row);
  await manager.insert(CalendarOverrideVersion, {
    date: row.date,
    version: row.version,
    change,
    kind: row.kind,
    name: row.name,
    reason: row.reason,
    active: row.active,
    changedBy: row.changedBy,
    changedAt: row.changedAt,
  });
  return { date: row.date, outcome: change, version: row.version };
}

function toView(row: CalendarOverrideRow): OverrideView {
  return {
    date: row.date,
    kind: row.kind,
    name: row.name,
    reason: row.reason,
    active: row.active,
    version: row.version,
    changedBy: row.changedBy,
    changedAt: toOffsetIso(row.changedAt),
  };
}

function shanghaiYear(now: Date): number {
  return new Date(now.getTime() + 8 * 3600_000).getUTCFullYear();
}
