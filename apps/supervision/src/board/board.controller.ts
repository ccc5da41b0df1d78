import { Controller, Get, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { AuthenticatedUser, CurrentUser, Roles, ticketScopeOf } from '@hotline/auth';
import { REGION_CODES, toOffsetIso } from '@hotline/contracts';

export class BoardQuery {
  @IsOptional()
  @IsIn(REGION_CODES)
  regionCode?: string;

  @IsOptional()
  @IsUUID()
  departmentId?: string;

  /** Only tickets at this escalation level or above. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3)
  level?: number;
}

interface BoardRow {
  ticket_id: string;
  number: string;
  status: string;
  urgency: string;
  demand_type: string;
  department_id: string | null;
  region_code: string;
  escalation_level: number;
  repeat_count: number;
  clock: string | null;
  deadline: Date | null;
  warning_at: Date | null;
}

export class RequestsQuery {
  @IsOptional()
  @IsIn(['extension', 'pause'])
  kind?: 'extension' | 'pause';

  @IsOptional()
  @IsIn(['pending', 'approved', 'denied'])
  status: 'pending' | 'approved' | 'denied' = 'pending';
}

/**
 * 督办看板 — open tickets with a warning, an overdue clock or an escalation, most urgent first:
 * overdue before warned, higher escalation first, then the nearest deadline.
 */
@Controller('api/supervision')
export class BoardController {
  constructor(private readonly dataSource: DataSource) {}

  @Roles('supervisor', 'leader')
  @Get('board')
  async board(@Query() query: BoardQuery, @CurrentUser() user: AuthenticatedUser) {
    const scope = ticketScopeOf(user);
    const params: unknown[] = [];
    const where = [`t.status <> 'closed'`];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (scope.kind === 'region') add('t.region_code = ?', scope.regionCode);
    if (scope.kind === 'department') add('t.department_id = ?', scope.departmentId);
    if (query.regionCode) add('t.region_code = ?', query.regionCode);
    if (query.departmentId) add('t.department_id = ?', query.departmentId);
    if (query.level !== undefined) add('t.escalation_level >= ?', query.level);
    const rows: BoardRow[] = await this.dataSource.query(
      `SELECT t.ticket_id, t.number, t.status, t.urgency, t.demand_type, t.department_id, t.region_code,
              t.escalation_level, t.repeat_count, c.kind AS clock, c.deadline, c.warning_at
         FROM supervision.supervised_ticket t
         LEFT JOIN supervision.sla_clock c ON c.ticket_id = t.ticket_id AND c.status = 'running'
        WHERE ${where.join(' AND ')}
          AND (t.escalation_level > 0 OR (c.warning_at IS NOT NULL AND c.warning_at <= now()))
        ORDER BY (c.deadline <= now()) DESC NULLS LAST, t.escalation_level DESC, c.deadline ASC NULLS LAST
        LIMIT 500`,
      params,
    );
    const now = Date.now();
    const items = rows.map((r) => ({
      id: r.ticket_id,
      number: r.number,
      status: r.status,
      urgency: r.urgency,
      demandType: r.demand_type,
      departmentId: r.department_id,
      regionCode: r.region_code,
      clock: r.clock,
      deadline: r.deadline ? toOffsetIso(r.deadline) : null,
      warning: !!r.warning_at && r.warning_at.getTime() <= now,
      overdue: !!r.deadline && r.deadline.getTime() <= now,
      escalationLevel: r.escalation_level,
      repeatCount: r.repeat_count,
    }));
    return { items, total: items.length };
  }

  /** 延期/暂停申请 — the departments' requests to decide (pending by default), oldest first. */
  @Roles('supervisor', 'leader')
  @Get('requests')
  async requests(@Query() query: RequestsQuery, @CurrentUser() user: AuthenticatedUser) {
    const scope = ticketScopeOf(user);
    const params: unknown[] = [query.status];
    let scoped = '';
    if (scope.kind === 'region') {
      params.push(scope.regionCode);
      scoped = `AND t.region_code = $2`;
    }
    const rows: {
      id: string;
      kind: 'extension' | 'pause';
      ticket_id: string;
      number: string;
      region_code: string;
      department_id: string | null;
      working_days: number | null;
      reason: string;
      requested_at: Date;
    }[] = await this.dataSource.query(
      `SELECT * FROM (
         SELECT e.id, 'extension' AS kind, e.ticket_id, e.working_days, e.reason, e.requested_at, e.status
           FROM supervision.extension_request e
         UNION ALL
         SELECT p.id, 'pause' AS kind, p.ticket_id, NULL, p.reason, p.requested_at, p.status
           FROM supervision.pause_request p
       ) r
       JOIN supervision.supervised_ticket t ON t.ticket_id = r.ticket_id
      WHERE r.status = $1 ${scoped} ${query.kind ? `AND r.kind = '${query.kind === 'pause' ? 'pause' : 'extension'}'` : ''}
      ORDER BY r.requested_at ASC
      LIMIT 500`,
      params,
    );
    const items = rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      ticketId: r.ticket_id,
      number: r.number,
      regionCode: r.region_code,
      departmentId: r.department_id,
      workingDays: r.working_days,
      reason: r.reason,
      requestedAt: toOffsetIso(r.requested_at),
    }));
    return { items, total: items.length };
  }

  /**
   * 回访清单 — tickets whose citizen waits for the call-back, the nearest call-back deadline
   * (回访时限) first; a consultation answered on the call has none and comes last.
   */
  @Roles('operator', 'supervisor')
  @Get('callbacks')
  async callbacks(@CurrentUser() user: AuthenticatedUser) {
    const scope = ticketScopeOf(user);
    const rows: {
      ticket_id: string;
      number: string;
      region_code: string;
      callback_attempts: number;
      resolved_on_call: boolean;
      deadline: Date | null;
      warning_at: Date | null;
    }[] = await this.dataSource.query(
      `SELECT t.ticket_id, t.number, t.region_code, t.callback_attempts, t.resolved_on_call, c.deadline, c.warning_at
         FROM supervision.supervised_ticket t
         LEFT JOIN supervision.sla_clock c ON c.ticket_id = t.ticket_id AND c.kind = 'callback' AND c.status = 'running'
        WHERE t.status = 'awaiting-callback' ${scope.kind === 'region' ? 'AND t.region_code = $1' : ''}
        ORDER BY c.deadline ASC NULLS LAST, t.number LIMIT 500`,
      scope.kind === 'region' ? [scope.regionCode] : [],
    );
    const now = Date.now();
    return {
      items: rows.map((r) => ({
        id: r.ticket_id,
        number: r.number,
        regionCode: r.region_code,
        attempts: r.callback_attempts,
        resolvedOnCall: r.resolved_on_call,
        deadline: r.deadline ? toOffsetIso(r.deadline) : null,
        warning: r.warning_at !== null && r.warning_at.getTime() <= now,
        overdue: r.deadline !== null && r.deadline.getTime() <= now,
      })),
      total: rows.length,
    };
  }
}
