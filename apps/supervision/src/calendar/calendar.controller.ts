import { Controller, Get, Query } from '@nestjs/common';
import { Roles } from '@hotline/auth';
import { toOffsetIso } from '@hotline/contracts';
import { CalendarDaysQuery, DeadlineQuery } from './calendar.request.dto';
import { CalendarDaysView, CalendarService } from './calendar.service';

/** Every signed-in staff role may read the calendar; channel accounts may not. */
export const CALENDAR_READERS = ['operator', 'dispatcher', 'handler', 'supervisor', 'leader', 'admin'] as const;

/** 工作日历 — the policy arithmetic and the year's days, as the supervision service applies them. */
@Roles(...CALENDAR_READERS)
@Controller('api/calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  /**
   * The deadline of `amount` `unit` from `from`, in Asia/Shanghai (+08:00). `confirmed: false`
   * when it reaches a year without an official notice in the data.
   */
  @Get('deadline')
  deadline(@Query() query: DeadlineQuery): { deadline: string; confirmed: boolean } {
    const { deadline, confirmed } = this.calendar.deadline(new Date(query.from), query.amount, query.unit);
    return { deadline: toOffsetIso(deadline), confirmed };
  }

  /** The year's holidays and make-up working days (official and overridden), and whether the year is confirmed. */
  @Get('days')
  days(@Query() query: CalendarDaysQuery): Promise<CalendarDaysView> {
    return this.calendar.days(query.year);
  }
}
