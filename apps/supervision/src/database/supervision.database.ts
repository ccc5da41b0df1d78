import { EarlyRepeats1765400000000 } from './migrations/1765400000000-early-repeats';
import { OutboxMessage, ProcessedEvent } from '@hotline/messaging';
import { ServiceDatabase } from '@hotline/platform';
import { CalendarOverrideRow, CalendarOverrideVersion } from '../calendar/calendar-override.entity';
import { ExtensionRequest } from '../extensions/extension-request.entity';
import { PauseRequest } from '../pauses/pause-request.entity';
import { SlaClock } from '../sla-clocks/sla-clock.entity';
import { SlaPolicyRuleRow } from '../sla-policies/sla-policy-rule.entity';
import { SlaPolicyVersion } from '../sla-policies/sla-policy-version.entity';
import { SupervisedTicket } from '../supervised-tickets/supervised-ticket.entity';
import { CreateSupervisionSchema1763800000000 } from './migrations/1763800000000-create-supervision-schema';
import { SupervisedTickets1764300000000 } from './migrations/1764300000000-supervised-tickets';
import { SlaPolicyVersions1764500000000 } from './migrations/1764500000000-sla-policy-versions';
import { Pauses1764600000000 } from './migrations/1764600000000-pauses';
import { EscalationSteps1764700000000 } from './migrations/1764700000000-escalation-steps';
import { CalendarOverrides1764400000000 } from './migrations/1764400000000-calendar-overrides';

export const SUPERVISION_DATABASE: ServiceDatabase = {
  entities: [
    SlaClock,
    SlaPolicyRuleRow,
    SlaPolicyVersion,
    SupervisedTicket,
    ExtensionRequest,
    PauseRequest,
    CalendarOverrideRow,
    CalendarOverrideVersion,
    OutboxMessage,
    ProcessedEvent,
  ],
  migrations: [
    CreateSupervisionSchema1763800000000,
    SupervisedTickets1764300000000,
    CalendarOverrides1764400000000,
    SlaPolicyVersions1764500000000,
    Pauses1764600000000,
    EscalationSteps1764700000000,
    EarlyRepeats1765400000000,
  ],
};
