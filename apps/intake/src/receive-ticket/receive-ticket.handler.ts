import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { AuthenticatedUser, PiiCipher } from '@hotline/auth';
import { Channel, createEvent, employerKey, EventActor, EventEnvelope, toOffsetIso, uuidv7 } from '@hotline/contracts';
import { appendToOutbox } from '@hotline/messaging';
import { addLogContext, refusedField, SERVICE_ENVIRONMENT } from '@hotline/platform';
import { DataSource, EntityManager } from 'typeorm';
import { PII_CIPHER } from '../caller-details/pii-cipher.provider';
import { hashPhone, normalisePhone } from '../caller-identity/phone-hash';
import { Category } from '../categories/category.entity';
import { IntakeEnvironment } from '../intake.environment';
import { RepeatDemand } from '../repeat-demands/repeat-demand.entity';
import { findRepeatCandidates, RepeatCandidate, repeatCandidatesQuery } from '../repeat-demands/repeat-candidates';
import { nextTicketNumber, nextTicketNumberUnless } from '../tickets/ticket-number';
import { Ticket } from '../tickets/ticket.entity';
import { ReceiveTicketRequest } from './receive-ticket.request.dto';

/** What the caller of POST /api/tickets learns: a new ticket, or the ticket this demand repeats. */
export type ReceiveOutcome =
  | { outcome: 'created'; id: string; number: string; status: 'received' | 'resolved-on-call'; receivedAt: string }
  | { outcome: 'linked'; id: string; number: string; repeatCount: number; matchedOn: 'caller' | 'employer'; receivedAt: string };

export function actorOf(user: AuthenticatedUser): EventActor {
  return { id: user.id, role: user.role, ...(user.departmentId ? { departmentId: user.departmentId } : {}) };
}

/**
 * 受理 — records a demand. It either links the demand to the open ticket it repeats (并单, no
 * new number, nothing dispatched; one transaction, the original locked), or creates a ticket and
 * announces `ticket.received` — with `ticket.resolved-on-call` when the operator answered it on
 * the call — the ticket and its events written by one statement.
 */
@Injectable()
export class ReceiveTicketHandler {
  private readonly logger = new Logger('intake');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_ENVIRONMENT) private readonly env: IntakeEnvironment,
    @Inject(PII_CIPHER) private readonly cipher: PiiCipher,
  ) {}

  /** `channel` is the request's for an operator, the API key's for a channel. */
  async execute(request: ReceiveTicketRequest, user: AuthenticatedUser, channel: Channel): Promise<ReceiveOutcome> {
    if (request.resolveOnCall && request.demandType !== 'consultation') {
      throw refusedField('resolveOnCall', 'only a consultation (demandType consultation) can be answered on the call', '只有咨询类诉求可以即时办结');
    }
    if (request.repeatOf && request.repeatOverride) {
      throw refusedField('repeatOverride', 'cannot both link to a ticket (repeatOf) and refuse to link', '不能同时指定原工单和不并单');
    }
    if (request.categoryCode) await this.checkCategory(request.categoryCode, request.domain);
    const receivedAt = new Date();
    const callerPhoneHash = hashPhone(request.caller.phone, this.env.CALLER_HASH_KEY);
    const employer = employerKey(request.employerName);
    // Answered on the call or explicitly not a repeat: a ticket of its own.
    const mayRepeat = !request.resolveOnCall && !request.repeatOverride;
    if (!request.repeatOf) {
      // Most demands repeat nothing: the check and the number in one statement, then the ticket
      // and its events in one more — no transaction to open and commit. A demand that may repeat
      // an open ticket takes the transaction below, which links it under a lock.
      const check = mayRepeat
        ? repeatCandidatesQuery({ callerPhoneHash, employerKey: employer, domain: request.domain, now: receivedAt })
        : null;
      const number = await nextTicketNumberUnless(this.dataSource.manager, receivedAt, check);
      if (number) return this.create(this.dataSource.manager, request, user, channel, callerPhoneHash, employer, receivedAt, number);
    }
    return this.dataSource.transaction(async (manager) => {
      if (mayRepeat) {
        const original = await this.originalFor(manager, request, callerPhoneHash, employer, receivedAt);
        if (original) return this.link(manager, original, request, user, channel, callerPhoneHash, receivedAt);
      }
      return this.create(manager, request, user, channel, callerPhoneHash, employer, receivedAt);
    });
  }

  private async checkCategory(code: string, domain: string): Promise<void> {
    const category = await this.dataSource.getRepository(Category).findOneBy({ code, active: true });
    if (!category) throw refusedField('categoryCode', 'no such category', '诉求分类不存在');
    if (category.domain !== domain) {
      throw refusedField('categoryCode', `belongs to the domain ${category.domain}, not ${domain}`, '诉求分类与业务领域不一致');
    }
  }

  private async originalFor(
    manager: EntityManager,
    request: ReceiveTicketRequest,
    callerPhoneHash: string,
    employer: string | null,
    now: Date,
  ): Promise<RepeatCandidate | undefined> {
    const candidates = await findRepeatCandidates(manager, {
      callerPhoneHash,
      employerKey: employer,
      domain: request.domain,
      now,
      lock: true,
    });
    if (!request.repeatOf) return candidates[0];
    const chosen = candidates.find((c) => c.id === request.repeatOf);
    if (!chosen) throw new NotFoundException(['repeatOf: no open ticket of this caller or employer with that id']);
    return chosen;
  }

  private async link(
    manager: EntityManager,
    original: RepeatCandidate,
    request: ReceiveTicketRequest,
    user: AuthenticatedUser,
    channel: Channel,
    callerPhoneHash: string,
    receivedAt: Date,
  ): Promise<ReceiveOutcome> {
    const repeatId = uuidv7();
    await manager.insert(RepeatDemand, {
      id: repeatId,
      originalTicketId: original.id,
      matchedOn: original.matchedOn,
      channel,
      content: request.content,
      callerName: request.caller.name,
      callerPhoneCipher: this.cipher.encrypt(normalisePhone(request.caller.phone)),
      callerPhoneHash,
      receivedAt,
      createdBy: user.id,
    });
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [[{ repeat_count: repeatCount }]]: [[{ repeat_count: number }], number] = await manager.query(
      `UPDATE intake.ticket SET repeat_count = repeat_count + 1 WHERE id = $1 RETURNING repeat_count`,
      [original.id],
    );
    await appendToOutbox(manager, [
      createEvent(
        'ticket.repeat-linked',
        {
          repeatId,
          repeatCount,
          matchedOn: original.matchedOn,
          channel,
          content: request.content,
          callerPhoneHash,
          regionCode: original.regionCode,
          domain: original.domain,
          receivedAt: toOffsetIso(receivedAt),
        },
        {
          ticketId: original.id,
          occurredAt: receivedAt,
          actor: actorOf(user),
          ...(original.receivedEventId
            ? { cause: { eventId: original.receivedEventId, correlationId: original.receivedEventId } }
            : {}),
        },
      ),
    ]);
    return {
      outcome: 'linked',
      id: original.id,
      number: original.number,
      repeatCount,
      matchedOn: original.matchedOn,
      receivedAt: toOffsetIso(receivedAt),
    };
  }

  private async create(
    manager: EntityManager,
    request: ReceiveTicketRequest,
    user: AuthenticatedUser,
    channel: Channel,
    callerPhoneHash: string,
    employer: string | null,
    receivedAt: Date,
    drawn?: string,
  ): Promise<ReceiveOutcome> {
    const id = uuidv7();
    const title = request.title ?? summarise(request.content);
    const number = drawn ?? (await nextTicketNumber(manager, receivedAt));
    const resolved = request.resolveOnCall;
    const disposition = resolved ? 'resolved-on-call' : 'dispatch';
    const attachments = request.attachments?.map((a) => ({ name: a.name, reference: a.reference })) ?? [];
    const received = createEvent(
      'ticket.received',
      {
        number,
        channel,
        demandType: request.demandType,
        domain: request.domain,
        categoryCode: request.categoryCode,
        urgency: request.urgency,
        regionCode: request.regionCode,
        title,
        content: request.content,
        callerPhoneHash,
        employerName: request.employerName,
        peopleAffected: request.peopleAffected,
        receivedAt: toOffsetIso(receivedAt),
        disposition,
        attachments: attachments.length ? attachments : undefined,
        desiredContactTime: request.desiredContactTime,
      },
      { ticketId: id, occurredAt: receivedAt, actor: actorOf(user) },
    );
    // The ticket and its events in one statement (TypeORM builds the INSERT, it is sent with them).
    const [insertTicket, ticketParams] = manager
      .createQueryBuilder()
      .insert()
      .into(Ticket)
      .values({
        id,
        number,
        channel,
        demandType: request.demandType,
        domain: request.domain,
        categoryCode: request.categoryCode ?? null,
        urgency: request.urgency,
        regionCode: request.regionCode,
        title,
        content: request.content,
        callerName: request.caller.name,
        callerPhoneCipher: this.cipher.encrypt(normalisePhone(request.caller.phone)),
        callerIdNumberCipher: request.caller.idNumber ? this.cipher.encrypt(request.caller.idNumber.toUpperCase()) : null,
        callerPhoneHash,
        employerName: request.employerName ?? null,
        employerKey: employer,
        peopleAffected: request.peopleAffected ?? null,
        address: request.address ?? null,
        receivedAt,
        attachments,
        desiredContactTime: request.desiredContactTime ?? null,
        disposition,
        answer: resolved?.answer ?? null,
        knowledgeId: resolved?.knowledgeId ?? null,
        resolvedAt: resolved ? receivedAt : null,
        repeatOverrideReason: request.repeatOverride?.reason ?? null,
        receivedEventId: received.eventId,
        createdBy: user.id,
        createdByUsername: user.username,
      })
      .getQueryAndParameters();
    const events: EventEnvelope[] = [received];
    if (resolved) {
      events.push(
        createEvent(
          'ticket.resolved-on-call',
          { answer: resolved.answer, knowledgeId: resolved.knowledgeId, resolvedAt: toOffsetIso(receivedAt) },
          { ticketId: id, occurredAt: receivedAt, actor: actorOf(user), cause: received },
        ),
      );
    }
    await appendToOutbox(manager, events, { sql: insertTicket, params: ticketParams });
    addLogContext({ ticketId: id, ticketNumber: number, eventId: received.eventId, correlationId: received.correlationId });
    this.logger.log(`received ticket ${number} (${request.demandType}, ${request.regionCode}, ${disposition})`);
    return {
      outcome: 'created',
      id,
      number,
      status: resolved ? 'resolved-on-call' : 'received',
      receivedAt: received.payload.receivedAt,
    };
  }
}

/** A title for the ticket list when the operator gave none: the first clause of the content. */
function summarise(content: string): string {
  const first = content.trim().split(/[。！？!?\n]/)[0] ?? content;
  return first.length > 40 ? `${first.slice(0, 40)}…` : first;
}
