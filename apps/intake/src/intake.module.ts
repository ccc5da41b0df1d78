import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '@hotline/auth';
import { MessagingModule } from '@hotline/messaging';
import { PlatformModule } from '@hotline/platform';
import { CallerDetailsController } from './caller-details/caller-details.controller';
import { piiCipherProvider } from './caller-details/pii-cipher.provider';
import { PiiRotation } from './caller-details/pii-rotation';
import { CategoriesController } from './categories/categories.controller';
import { Category } from './categories/category.entity';
import { INTAKE_DATABASE } from './database/intake.database';
import { KnowledgeBaseModule } from './knowledge-base/knowledge-base.module';
import { OperatorViewsController } from './operator-views/operator-views.controller';
import { RefusalsController } from './refusals/refusals.controller';
import { SupplementsController } from './supplements/supplements.controller';
import { TicketClosureHandler } from './ticket-closure/ticket-closure.handler';
import { IntakeEnvironment } from './intake.environment';
import { ReceiveTicketController } from './receive-ticket/receive-ticket.controller';
import { ReceiveTicketHandler } from './receive-ticket/receive-ticket.handler';

/** 需求受理 — tickets come in here from every channel. */
@Module({
  imports: [
    PlatformModule.forService({ service: 'intake', database: INTAKE_DATABASE, environment: IntakeEnvironment }),
    MessagingModule.forService('intake'),
    AuthModule,
    TypeOrmModule.forFeature([Category]),
    KnowledgeBaseModule,
  ],
  controllers: [
    ReceiveTicketController,
    CallerDetailsController,
    CategoriesController,
    SupplementsController,
    RefusalsController,
    OperatorViewsController,
  ],
  providers: [ReceiveTicketHandler, piiCipherProvider, PiiRotation, TicketClosureHandler],
})
export class IntakeModule {}
