import { Body, ConflictException, Controller, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { DataSource } from 'typeorm';
import { AuthenticatedUser, CurrentUser, Roles } from '@hotline/auth';
import { createEvent, toOffsetIso, uuidv7 } from '@hotline/contracts';
import { appendToOutbox } from '@hotline/messaging';
import { refusedField } from '@hotline/platform';
import { actorOf } from '../receive-ticket/receive-ticket.handler';
import { AttachmentDto } from '../receive-ticket/receive-ticket.request.dto';
import { Ticket } from '../tickets/ticket.entity';
import { Supplement } from './supplement.entity';

export class SupplementRequest {
  @IsString()
  @MaxLength(4000)
  content: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => AttachmentDto)
  attachments: AttachmentDto[] = [];
}

const ticketId = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException(['id: no such ticket']) });

@Controller('api/tickets/:id/supplements')
export class SupplementsController {
  constructor(private readonly dataSource: DataSource) {}

  /** POST /api/tickets/:id/supplements — the citizen adds information; the handler sees it in the timeline. */
  @Roles('operator', 'supervisor')
  @Post()
  @HttpCode(201)
  async add(@Param('id', ticketId) id: string, @Body() body: SupplementRequest, @CurrentUser() user: AuthenticatedUser) {
    if (!body.content.trim() && !body.attachments.length) {
      throw refusedField('content', 'give information or at least one attachment', '请填写补充内容或上传附件');
    }
    return this.dataSource.transaction(async (manager) => {
      const ticket = await manager.findOne(Ticket, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!ticket) throw new NotFoundException(['id: no such ticket']);
      if (ticket.disposition === 'resolved-on-call') {
        throw new ConflictException(['id: answered on the call and closed; record a new demand instead']);
      }
      const supplement = { id: uuidv7(), ticketId: id, content: body.content, attachments: body.attachments, createdBy: user.id };
      await manager.insert(Supplement, supplement as never);
      const supplementedAt = new Date();
      await appendToOutbox(manager, [
        createEvent(
          'ticket.supplemented',
          {
            supplementId: supplement.id,
            content: body.content,
            attachments: body.attachments.map((a) => ({ name: a.name, reference: a.reference })),
            supplementedAt: toOffsetIso(supplementedAt),
          },
          {
            ticketId: id,
            occurredAt: supplementedAt,
            actor: actorOf(user),
            ...(ticket.receivedEventId ? { cause: { eventId: ticket.receivedEventId, correlationId: ticket.receivedEventId } } : {}),
          },
        ),
      ]);
      return { id: supplement.id, ticketId: id, supplementedAt: toOffsetIso(supplementedAt) };
    });
  }
}
