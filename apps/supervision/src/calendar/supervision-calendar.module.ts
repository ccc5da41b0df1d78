import { Module } from '@nestjs/common';
import { DEFAULT_OFFICE_HOURS, OfficeHours, parseOfficeHours, WORKING_CALENDAR } from '@hotline/calendar';
import { ConfigurationError, SERVICE_ENVIRONMENT } from '@hotline/platform';
import { CalendarAdminController } from './calendar-admin.controller';
import { CalendarController } from './calendar.controller';
import { CALENDAR_OFFICE_HOURS, CalendarService } from './calendar.service';

/** `OFFICE_HOURS`, like `09:00-12:00,13:30-17:30`; unset means the default. */
export function officeHoursFromEnvironment(env: NodeJS.ProcessEnv = process.env): OfficeHours {
  const text = env.OFFICE_HOURS?.trim();
  if (!text) return DEFAULT_OFFICE_HOURS;
  try {
    return parseOfficeHours(text);
  } catch (err) {
    throw new ConfigurationError([`OFFICE_HOURS: ${(err as Error).message}`]);
  }
}

/**
 * 工作日历 for supervision: the official calendar with the administrators' overrides, behind
 * WORKING_CALENDAR (replacing `workingCalendarProvider`), and the calendar routes. Needs the
 * service's PlatformModule (DataSource) and AuthModule (the guard) from the importing module.
 */
@Module({
  controllers: [CalendarController, CalendarAdminController],
  providers: [
    {
      provide: CALENDAR_OFFICE_HOURS,
      inject: [SERVICE_ENVIRONMENT],
      useFactory: (env: { OFFICE_HOURS?: string }) => officeHoursFromEnvironment({ OFFICE_HOURS: env.OFFICE_HOURS }),
    },
    CalendarService,
    { provide: WORKING_CALENDAR, inject: [CalendarService], useFactory: (service: CalendarService) => service.calendar },
  ],
  exports: [WORKING_CALENDAR, CalendarService],
})
export class SupervisionCalendarModule {}
