import { OutboxMessage, ProcessedEvent } from '@hotline/messaging';
import { ServiceDatabase } from '@hotline/platform';
import { DailyCounter } from '../counters/daily-counter.entity';
import { TicketView } from '../tickets/ticket-view.entity';
import { TimelineEntry } from '../timeline/timeline-entry.entity';
import { CreateMetricsSchema1763800000000 } from './migrations/1763800000000-create-metrics-schema';
import { TicketView1763900000000 } from './migrations/1763900000000-ticket-view';
import { TicketViewRepeats1764000000000 } from './migrations/1764000000000-ticket-view-repeats';
import { Grading1764800000000 } from './migrations/1764800000000-grading';
import { Hotspots1765000000000 } from './migrations/1765000000000-hotspots';
import { CounterContributions1765100000000 } from './migrations/1765100000000-counter-contributions';
import { TimelineTypeIndex1765300000000 } from './migrations/1765300000000-timeline-type-index';
import { DepartmentCharges1765400000000 } from './migrations/1765400000000-department-charges';
import { TicketViewFlagTimes1765500000000 } from './migrations/1765500000000-ticket-view-flag-times';
import { DepartmentMonths1765600000000 } from './migrations/1765600000000-department-months';
import { DailyCounterSeriesIndex1765700000000 } from './migrations/1765700000000-daily-counter-series-index';
import { BreakdownMonths1765800000000 } from './migrations/1765800000000-breakdown-months';

export const METRICS_DATABASE: ServiceDatabase = {
  entities: [TimelineEntry, DailyCounter, TicketView, OutboxMessage, ProcessedEvent],
  migrations: [CreateMetricsSchema1763800000000, TicketView1763900000000, TicketViewRepeats1764000000000, Grading1764800000000, Hotspots1765000000000, CounterContributions1765100000000, TimelineTypeIndex1765300000000, DepartmentCharges1765400000000, TicketViewFlagTimes1765500000000, DepartmentMonths1765600000000, DailyCounterSeriesIndex1765700000000, BreakdownMonths1765800000000],
};
