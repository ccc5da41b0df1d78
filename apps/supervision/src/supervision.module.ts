import { SupervisionEnvironment } from './supervision.environment';
import { Module } from '@nestjs/common';
import { AuthModule } from '@hotline/auth';
import { MessagingModule } from '@hotline/messaging';
import { PlatformModule } from '@hotline/platform';
import { BoardController } from './board/board.controller';
import { ClockReplayController } from './clock-replay/clock-replay.controller';
import { ClockReplayService } from './clock-replay/clock-replay.service';
import { ClockPausesController } from './pauses/clock-pauses.controller';
import { ClockPausesService } from './pauses/clock-pauses.service';
import { SlaPoliciesAdminController } from './sla-policies/sla-policies.admin.controller';
import { SupervisionCalendarModule } from './calendar/supervision-calendar.module';
import { SUPERVISION_DATABASE } from './database/supervision.database';
import { SlaClockStarterHandler } from './start-sla-clock/sla-clock-starter.handler';
import { SupervisionActionsController } from './supervision-actions/supervision-actions.controller';
import { SupervisionActionsService } from './supervision-actions/supervision-actions.service';
import { SlaTimerScanner } from './timers/sla-timer-scanner';
import { SupervisionGauges } from './timers/supervision-gauges';
import { IntakeTrackingHandler } from './tracking/intake-tracking.handler';

/** 督查督办 — deadlines on the official calendar, warnings, escalation, review and call-back. */
@Module({
  imports: [
    PlatformModule.forService({ service: 'supervision', database: SUPERVISION_DATABASE, environment: SupervisionEnvironment }),
    MessagingModule.forService('supervision'),
    AuthModule,
    SupervisionCalendarModule,
  ],
  controllers: [
    SupervisionActionsController,
    BoardController,
    SlaPoliciesAdminController,
    ClockReplayController,
    ClockPausesController,
  ],
  providers: [
    SlaClockStarterHandler,
    IntakeTrackingHandler,
    SupervisionActionsService,
    SlaTimerScanner,
    SupervisionGauges,
    ClockReplayService,
    ClockPausesService,
  ],
})
export class SupervisionModule {}
