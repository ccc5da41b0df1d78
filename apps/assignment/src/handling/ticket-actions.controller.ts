import { Body, Controller, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { AuthenticatedUser, CurrentUser, Roles } from '@hotline/auth';
import {
  CoHandlingNoteRequest,
  DispatchRequest,
  ExtensionRequest,
  ReasonRequest,
  ReplyRequest,
  ReturnDecisionRequest,
  TransferRequest,
} from './ticket-actions.request.dto';
import { TicketHandlingService } from './ticket-handling.service';

const ticketId = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException(['id: no such ticket']) });

/** The department's and the dispatch desk's actions on a ticket (API.md "Tickets"). */
@Controller('api/tickets/:id')
export class TicketActionsController {
  constructor(private readonly handling: TicketHandlingService) {}

  /** 签收 */
  @Roles('handler')
  @Post('accept')
  @HttpCode(200)
  accept(@Param('id', ticketId) id: string, @CurrentUser() user: AuthenticatedUser) {
    return this.handling.accept(id, user);
  }

  /** 办理回复 */
  @Roles('handler')
  @Post('reply')
  @HttpCode(200)
  reply(@Param('id', ticketId) id: string, @Body() body: ReplyRequest, @CurrentUser() user: AuthenticatedUser) {
    return this.handling.reply(id, user, body.content, body.outcome);
  }

  /** 退单 */
  @Roles('handler')
  @Post('return')
  @HttpCode(200)
  return(@Param('id', ticketId) id: string, @Body() body: ReasonRequest, @CurrentUser() user: AuthenticatedUser) {
    return this.handling.return(id, user, body.reason);
  }

  /** 延期申请 */
  @Roles('handler')
  @Post('extension-requests')
  @HttpCode(201)
  extension(@Param('id', ticketId) id: string, @Body() body: ExtensionRequest, @CurrentUser() user: AuthenticatedUser) {
    return this.handling.requestExtension(id, user, body.workingDays, body.reason);
  }

  /** 暂停申请 (waiting for the citizen's materials) */
  @Roles('handler')
  @Post('pause-requests')
  @HttpCode(201)
  pause(@Param('id', ticketId) id: string, @Body() body: ReasonRequest, @CurrentUser() user: AuthenticatedUser) {
    return this.handling.requestPause(id, user, body.reason);
  }

  /** 协办意见 */
  @Roles('handler')
  @Post('co-handling-notes')
  @HttpCode(201)
  coHandling(@Param('id', ticketId) id: string, @Body() body: CoHandlingNoteRequest, @CurrentUser() user: AuthenticatedUser) {
    return this.handling.noteCoHandling(id, user, body.content);
  }

  /** 人工派单 from the dispatcher's queue */
  @Roles('dispatcher', 'supervisor')
  @Post('dispatch')
  @HttpCode(200)
  dispatch(@Param('id', ticketId) id: string, @Body() body: DispatchRequest, @CurrentUser() user: AuthenticatedUser) {
    return this.handling.dispatch(id, user, body.departmentId, body.coHandlerIds, body.reason);
  }

  /** 退单审核 */
  @Roles('dispatcher', 'supervisor')
  @Post('return-decision')
  @HttpCode(200)
  decideReturn(@Param('id', ticketId) id: string, @Body() body: ReturnDecisionRequest, @CurrentUser() user: AuthenticatedUser) {
    return this.handling.decideReturn(id, user, body.accept, body.reason, body.departmentId);
  }

  /** 转办 */
  @Roles('dispatcher', 'supervisor')
  @Post('transfer')
  @HttpCode(200)
  transfer(@Param('id', ticketId) id: string, @Body() body: TransferRequest, @CurrentUser() user: AuthenticatedUser) {
    return this.handling.transfer(id, user, body.departmentId, body.reason);
  }
}
