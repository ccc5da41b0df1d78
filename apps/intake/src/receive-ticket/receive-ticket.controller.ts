import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { refusedField } from '@hotline/platform';
import { AuthenticatedUser, CurrentUser, Roles } from '@hotline/auth';
import { Channel, CHANNELS } from '@hotline/contracts';
import { ReceiveOutcome, ReceiveTicketHandler } from './receive-ticket.handler';
import { ReceiveTicketRequest } from './receive-ticket.request.dto';

@Controller('api')
export class ReceiveTicketController {
  constructor(private readonly handler: ReceiveTicketHandler) {}

  /** POST /api/tickets — the operator records a new demand (default channel: the phone line). */
  @Roles('operator')
  @Post('tickets')
  @HttpCode(201)
  receive(@Body() request: ReceiveTicketRequest, @CurrentUser() user: AuthenticatedUser): Promise<ReceiveOutcome> {
    return this.handler.execute(request, user, request.channel);
  }

  /** POST /api/channel/tickets — a direct-report point or partner system; the channel is its key's. */
  @Roles('channel')
  @Post('channel/tickets')
  @HttpCode(201)
  receiveFromChannel(@Body() request: ReceiveTicketRequest, @CurrentUser() user: AuthenticatedUser): Promise<ReceiveOutcome> {
    const channel = user.channel as Channel | undefined;
    if (!channel || !CHANNELS.includes(channel)) {
      throw refusedField('x-api-key', 'bound to no known channel', '渠道密钥未绑定有效渠道');
    }
    if (request.channel !== 'phone' && request.channel !== channel) {
      throw refusedField('channel', `implied by the API key (${channel}); leave it out`, '受理渠道由渠道密钥确定，请勿填写');
    }
    return this.handler.execute(request, user, channel);
  }
}
