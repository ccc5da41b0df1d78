import { Body, Controller, Get, Put } from '@nestjs/common';
import { AuthenticatedUser, CurrentUser, Roles } from '@hotline/auth';
import { PutCalendarOverridesRequest } from './calendar.request.dto';
import { CalendarAdminView, CalendarService, OverrideWriteResult } from './calendar.service';

/** 日历维护 — administrators keep the overrides; every change is a new version with its author. */
@Roles('admin')
@Controller('api/admin/calendar')
export class CalendarAdminController {
  constructor(private readonly calendar: CalendarService) {}

  /** The overrides with their versions, and which years the official data confirms. */
  @Get()
  view(): Promise<CalendarAdminView> {
    return this.calendar.adminView();
  }

  /**
   * Creates or changes overrides (`active: false` withdraws one); each change is versioned and
   * the calendar applies it to every deadline computed afterwards.
   */
  @Put()
  async put(
    @Body() body: PutCalendarOverridesRequest,
    @CurrentUser() actor: AuthenticatedUser,
  ): Promise<{ results: OverrideWriteResult[] } & CalendarAdminView> {
    const results = await this.calendar.upsert(body.overrides, actor.username);
    return { results, ...(await this.calendar.adminView()) };
  }
}
