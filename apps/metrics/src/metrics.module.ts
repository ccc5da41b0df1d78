import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '@hotline/auth';
import { MessagingModule } from '@hotline/messaging';
import { PlatformModule } from '@hotline/platform';
import { BreakdownController } from './breakdown/breakdown.controller';
import { DailyCounter } from './counters/daily-counter.entity';
import { CounterTicketsController } from './counters/counter-tickets.controller';
import { DailyCountersController } from './counters/daily-counters.controller';
import { METRICS_DATABASE } from './database/metrics.database';
import { MetricsEnvironment } from './metrics.environment';
import { GradingController } from './grading/grading.controller';
import { GradingService } from './grading/grading.service';
import { HotspotDetector } from './hotspots/hotspot-detector';
import { HotspotsController } from './hotspots/hotspots.controller';
import { DashboardCache } from './live/dashboard-cache';
import { LiveController } from './live/live.controller';
import { LiveUpdates } from './live/live-updates';
import { TicketProjectionHandler } from './projection/ticket-projection.handler';
import { TicketView } from './tickets/ticket-view.entity';
import { TicketsController } from './tickets/tickets.controller';
import { TimelineEntry } from './timeline/timeline-entry.entity';
import { TimelineController } from './timeline/timeline.controller';

/** 指标汇总 — projections of every event: timelines, counters, rates and gradings. */
@Module({
  imports: [
    PlatformModule.forService({ service: 'metrics', database: METRICS_DATABASE, environment: MetricsEnvironment }),
    MessagingModule.forService('metrics'),
    TypeOrmModule.forFeature([TimelineEntry, DailyCounter, TicketView]),
    AuthModule,
  ],
  controllers: [CounterTicketsController, TicketsController, TimelineController, DailyCountersController, GradingController, BreakdownController, HotspotsController, LiveController],
  providers: [TicketProjectionHandler, GradingService, HotspotDetector, LiveUpdates, DashboardCache],
})
export class MetricsModule {}
