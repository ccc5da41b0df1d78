import { OutboxMessage, ProcessedEvent } from '@hotline/messaging';
import { ServiceDatabase } from '@hotline/platform';
import { CallerReveal } from '../caller-details/caller-reveal.entity';
import { Category } from '../categories/category.entity';
import { Refusal } from '../refusals/refusal';
import { RepeatDemand } from '../repeat-demands/repeat-demand.entity';
import { Supplement } from '../supplements/supplement.entity';
import { KnowledgeEntryVersion } from '../knowledge-base/knowledge-entry-version.entity';
import { KnowledgeEntry } from '../knowledge-base/knowledge-entry.entity';
import { KnowledgeTerm } from '../knowledge-base/knowledge-term.entity';
import { Ticket } from '../tickets/ticket.entity';
import { CreateIntakeSchema1763800000000 } from './migrations/1763800000000-create-intake-schema';
import { EncryptCallerDetails1763900000000 } from './migrations/1763900000000-encrypt-caller-details';
import { KnowledgeBase1764000000000 } from './migrations/1764000000000-knowledge-base';
import { IntakeFullTicket1764100000000 } from './migrations/1764100000000-intake-full-ticket';
import { TicketClosure1764500000000 } from './migrations/1764500000000-ticket-closure';

export const INTAKE_DATABASE: ServiceDatabase = {
  entities: [
    Ticket,
    CallerReveal,
    Category,
    RepeatDemand,
    Supplement,
    Refusal,
    OutboxMessage,
    ProcessedEvent,
    KnowledgeEntry,
    KnowledgeEntryVersion,
    KnowledgeTerm,
  ],
  migrations: [
    CreateIntakeSchema1763800000000,
    EncryptCallerDetails1763900000000,
    KnowledgeBase1764000000000,
    IntakeFullTicket1764100000000,
    TicketClosure1764500000000,
  ],
};
