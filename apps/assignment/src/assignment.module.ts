import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '@hotline/auth';
import { workingCalendarProvider } from '@hotline/calendar';
import { MessagingModule } from '@hotline/messaging';
import { PlatformModule } from '@hotline/platform';
import { ASSIGNMENT_DATABASE } from './database/assignment.database';
import { Department } from './departments/department.entity';
import { DepartmentsController } from './departments/departments.controller';
import { TicketActionsController } from './handling/ticket-actions.controller';
import { TicketHandlingService } from './handling/ticket-handling.service';
import { InboxController } from './inbox/inbox.controller';
import { RouteReceivedTicketHandler } from './route-ticket/route-received-ticket.handler';
import { RoutingRulesModule } from './routing-rules/routing-rules.module';
import { SupervisionFeedbackHandler } from './supervision-feedback/supervision-feedback.handler';

/** 派单/承办 — routing tickets to departments and the departments' work on them. */
@Module({
  imports: [
    PlatformModule.forService({ service: 'assignment', database: ASSIGNMENT_DATABASE }),
    MessagingModule.forService('assignment'),
    AuthModule,
    TypeOrmModule.forFeature([Department]),
    RoutingRulesModule,
  ],
  controllers: [DepartmentsController, TicketActionsController, InboxController],
  providers: [
    workingCalendarProvider,
    RouteReceivedTicketHandler,
    SupervisionFeedbackHandler,
    TicketHandlingService,
  ],
})
export class AssignmentModule {}
