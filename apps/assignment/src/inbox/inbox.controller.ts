import { Controller, Get, Query } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { DataSource } from 'typeorm';
import { AuthenticatedUser, CurrentUser, Roles } from '@hotline/auth';
import { toOffsetIso, URGENCIES, Urgency } from '@hotline/contracts';
import { CoHandler } from '../assignments/co-handler.entity';
import { TicketAssignment } from '../assignments/ticket-assignment.entity';
import { ASSIGNMENT_STATUSES, AssignmentStatus } from '../handling/assignment-state';

export class InboxQuery {
  @IsOptional()
  @IsIn(ASSIGNMENT_STATUSES)
  status?: AssignmentStatus;

  @IsOptional()
  @IsIn(URGENCIES)
  urgency?: Urgency;

  /** main: tickets my department handles (主办); co: tickets it helps with (协办). */
  @IsOptional()
  @IsIn(['main', 'co'])
  role?: 'main' | 'co';

  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true')
  @IsBoolean()
  overdue?: boolean;
}

type Row = TicketAssignment & { co: boolean; co_noted: boolean };

/** What is due now: signing for it while unsigned, the reply once signed. */
function dueOf(t: TicketAssignment): Date | null {
  if (t.status === 'assigned' || t.status === 'reopened') return t.signForDeadline;
  if (t.status === 'accepted') return t.replyDeadline;
  return null;
}

/** When the clock that is due warns (预警). */
function warningOf(t: TicketAssignment): Date | null {
  if (t.status === 'assigned' || t.status === 'reopened') return t.signForWarningAt;
  if (t.status === 'accepted') return t.replyWarningAt;
  return null;
}

/**
 * 待办 — the department's tickets, most urgent first: overdue, then the nearest due time, urgent
 * before normal. Co-handling tickets appear too, flagged, until the department has added its part.
 */
@Controller('api/assignment')
export class InboxController {
  constructor(private readonly dataSource: DataSource) {}

  @Roles('handler')
  @Get('inbox')
  async inbox(@Query() query: InboxQuery, @CurrentUser() user: AuthenticatedUser) {
    if (!user.departmentId) return { items: [], total: 0 };
    const rows: Row[] = await this.dataSource
      .createQueryBuilder(TicketAssignment, 't')
      .leftJoin(CoHandler, 'c', 'c.ticketId = t.ticketId AND c.departmentId = :dept', { dept: user.departmentId })
      .addSelect('c.department_id IS NOT NULL', 'co')
      .addSelect('c.noted_at IS NOT NULL', 'co_noted')
      .where(`t.status NOT IN ('closed', 'awaiting-dispatch')`)
      .andWhere('(t.department_id = :dept OR c.department_id IS NOT NULL)', { dept: user.departmentId })
      .getRawAndEntities()
      .then(({ entities, raw }) =>
        entities.map((e) => {
          const r = raw.find((x) => x.t_ticket_id === e.ticketId);
          return Object.assign(e, { co: r?.co === true, co_noted: r?.co_noted === true });
        }),
      );
    const now = Date.now();
    const items = rows
      .map((t) => {
        const role: 'main' | 'co' = t.departmentId === user.departmentId ? 'main' : 'co';
        const due = role === 'main' ? dueOf(t) : null;
        const warnsAt = role === 'main' ? warningOf(t) : null;
        return {
          id: t.ticketId,
          number: t.number,
          title: t.title,
          status: t.status,
          role,
          coHandlingDone: role === 'co' ? t.co_noted : undefined,
          urgency: t.urgency,
          demandType: t.demandType,
          domain: t.domain,
          regionCode: t.regionCode,
          receivedAt: toOffsetIso(t.receivedAt),
          assignedAt: t.assignedAt ? toOffsetIso(t.assignedAt) : null,
          due: due ? toOffsetIso(due) : null,
          overdue: !!due && due.getTime() < now,
          warning: !!warnsAt && warnsAt.getTime() <= now && !(due && due.getTime() < now),
          returnCount: t.returnCount,
          reopenCount: t.reopenCount,
          note: t.reviewReason,
        };
      })
      .filter((i) => (!query.status || i.status === query.status) && (!query.urgency || i.urgency === query.urgency))
      .filter((i) => (!query.role || i.role === query.role) && (query.overdue === undefined || i.overdue === query.overdue))
      .sort(
        (a, b) =>
          Number(b.overdue) - Number(a.overdue) ||
          (a.due ?? '9999').localeCompare(b.due ?? '9999') ||
          Number(b.urgency === 'urgent') - Number(a.urgency === 'urgent') ||
          a.receivedAt.localeCompare(b.receivedAt),
      );
    return { items, total: items.length };
  }

  /** 派单台 — tickets waiting for a dispatcher: undecided routing and returns to judge. */
  @Roles('dispatcher', 'supervisor')
  @Get('dispatch-queue')
  async queue() {
    const rows = await this.dataSource.getRepository(TicketAssignment).find({
      where: [{ status: 'awaiting-dispatch' }, { status: 'returned' }],
      order: { receivedAt: 'ASC' },
      take: 500,
    });
    return {
      items: rows.map((t) => ({
        id: t.ticketId,
        number: t.number,
        title: t.title,
        status: t.status,
        urgency: t.urgency,
        domain: t.domain,
        demandType: t.demandType,
        regionCode: t.regionCode,
        receivedAt: toOffsetIso(t.receivedAt),
        departmentId: t.departmentId,
        suggestedDepartmentId: t.suggestedDepartmentId,
        returnReason: t.returnReason,
        returnCount: t.returnCount,
      })),
      total: rows.length,
    };
  }
}
