import { OutboxMessage, ProcessedEvent } from '@hotline/messaging';
import { ServiceDatabase } from '@hotline/platform';
import { CoHandler } from '../assignments/co-handler.entity';
import { HandlingRequest } from '../assignments/handling-request.entity';
import { TicketAssignment } from '../assignments/ticket-assignment.entity';
import { DepartmentVersion } from '../departments/department-version.entity';
import { Department } from '../departments/department.entity';
import { MunicipalMatter } from '../routing-rules/municipal-matter.entity';
import { RoutingRuleVersion } from '../routing-rules/routing-rule-version.entity';
import { RoutingRule } from '../routing-rules/routing-rule.entity';
import { CreateAssignmentSchema1763800000000 } from './migrations/1763800000000-create-assignment-schema';
import { RoutingRules1764200000000 } from './migrations/1764200000000-routing-rules';
import { WarningTimes1765200000000 } from './migrations/1765200000000-warning-times';
import { ReturnWindow1765800000000 } from './migrations/1765800000000-return-window';
import { RoutingTablesVersion1765900000000 } from './migrations/1765900000000-routing-tables-version';
import { AssignmentWorkflow1764300000000 } from './migrations/1764300000000-assignment-workflow';

export const ASSIGNMENT_DATABASE: ServiceDatabase = {
  entities: [
    Department,
    TicketAssignment,
    CoHandler,
    HandlingRequest,
    DepartmentVersion,
    RoutingRule,
    RoutingRuleVersion,
    MunicipalMatter,
    OutboxMessage,
    ProcessedEvent,
  ],
  migrations: [CreateAssignmentSchema1763800000000, RoutingRules1764200000000, AssignmentWorkflow1764300000000, WarningTimes1765200000000, ReturnWindow1765800000000, RoutingTablesVersion1765900000000],
};
