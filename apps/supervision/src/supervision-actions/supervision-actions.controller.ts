import { Body, Controller, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { IsBoolean, IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { AuthenticatedUser, CurrentUser, Roles } from '@hotline/auth';
import { Satisfaction, SATISFACTIONS } from '@hotline/contracts';
import { SupervisionActionsService } from './supervision-actions.service';

export class DecisionRequest {
  @IsBoolean()
  approved: boolean;

  @IsString()
  @MaxLength(1000)
  comment: string;
}

export class CallbackRequest {
  @IsIn(SATISFACTIONS)
  satisfaction: Satisfaction;

  @IsString()
  @MaxLength(2000)
  note: string;
}

export class NoteRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  note: string;
}

const uuid = (what: string) => new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException([`id: no such ${what}`]) });

@Controller('api')
export class SupervisionActionsController {
  constructor(private readonly actions: SupervisionActionsService) {}

  /** 审核 the handler's latest reply. */
  @Roles('supervisor')
  @Post('tickets/:id/review')
  @HttpCode(200)
  review(@Param('id', uuid('ticket')) id: string, @Body() body: DecisionRequest, @CurrentUser() user: AuthenticatedUser) {
    return this.actions.review(id, user, body.approved, body.comment);
  }

  /** 回访 */
  @Roles('operator', 'supervisor')
  @Post('tickets/:id/callback')
  @HttpCode(200)
  callback(@Param('id', uuid('ticket')) id: string, @Body() body: CallbackRequest, @CurrentUser() user: AuthenticatedUser) {
    return this.actions.callback(id, user, body.satisfaction, body.note);
  }

  /** 催办 */
  @Roles('supervisor')
  @Post('tickets/:id/urge')
  @HttpCode(200)
  urge(@Param('id', uuid('ticket')) id: string, @Body() body: NoteRequest, @CurrentUser() user: AuthenticatedUser) {
    return this.actions.urge(id, user, body.note);
  }

  /** 督办 */
  @Roles('supervisor')
  @Post('tickets/:id/supervise')
  @HttpCode(200)
  supervise(@Param('id', uuid('ticket')) id: string, @Body() body: NoteRequest, @CurrentUser() user: AuthenticatedUser) {
    return this.actions.supervise(id, user, body.note);
  }

  /** 延期审批 */
  @Roles('supervisor')
  @Post('extension-requests/:id/decision')
  @HttpCode(200)
  decide(@Param('id', uuid('extension request')) id: string, @Body() body: DecisionRequest, @CurrentUser() user: AuthenticatedUser) {
    return this.actions.decideExtension(id, user, body.approved, body.comment);
  }
}
