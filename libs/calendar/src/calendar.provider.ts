import { Provider } from '@nestjs/common';
import { loadOfficialDays } from './official-days';
import { WorkingCalendar } from './working-calendar';

export const WORKING_CALENDAR = Symbol('WORKING_CALENDAR');

/**
 * The official working-day calendar with the default office hours, for a service that keeps no
 * overrides of its own. Supervision replaces it with its own provider (same token) that applies
 * the administrators' overrides.
 */
export const workingCalendarProvider: Provider = {
  provide: WORKING_CALENDAR,
  useFactory: () => new WorkingCalendar(loadOfficialDays()),
};
