import { Body, Controller, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { AuthenticatedUser, CurrentUser, Roles } from '@hotline/auth';
import { DecisionRequest, NoteRequest } from '../supervision-actions/supervision-actions.controller';
import { ClockPausesService } from './clock-pauses.service';

const uuid = (what: string) => new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException([`id: no such ${what}`]) });

@Controller('api')
export class ClockPausesController {
  constructor(private readonly pauses: ClockPausesService) {}

  /** 暂停审批 */
  @Roles('supervisor')
  @Post('pause-requests/:id/decision')
  @HttpCode(200)
  decide(@Param('id', uuid('pause request')) id: string, @Body() body: DecisionRequest, @CurrentUser() user: AuthenticatedUser) {
    return this.pauses.decide(id, user, body.approved, body.comment);
  }

  /** 恢复计时 by hand (it also resumes by itself when the citizen supplements the ticket). */
  @Roles('supervisor')
  @Post('tickets/:id/resume')
  @HttpCode(200)
  async resume(@Param('id', uuid('ticket')) id: string, @Body() body: NoteRequest, @CurrentUser() user: AuthenticatedUser) {
    const events = await this.pauses.resume(id, `恢复计时：${body.note}`, user);
    return { ticketId: id, events: events.map((e) => e.type) };
  }
}
