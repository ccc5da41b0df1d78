import type { BusinessDomain, DemandType, Urgency } from '@hotline/contracts';
import type { EntityManager } from 'typeorm';

/** The facts of a received ticket that routing looks at. */
export interface RoutableTicket {
  regionCode: string;
  domain: BusinessDomain;
  demandType: DemandType;
  urgency: Urgency;
  categoryCode?: string;
  title: string;
  content: string;
  peopleAffected?: number;
  employerName?: string;
}

export interface RoutedDepartment {
  id: string;
  code: string;
  name: string;
}

/**
 * Where a ticket goes: to a main department (主办) with optional co-handlers (协办), or to the
 * dispatcher's queue when no rule decides it with confidence (with a suggestion if there is one).
 */
export type RoutingDecision =
  | {
      kind: 'assign';
      main: RoutedDepartment;
      coHandlers: RoutedDepartment[];
      ruleId: string;
      ruleVersion: number;
      reason: string;
    }
  | { kind: 'review'; suggested: RoutedDepartment | null; ruleId: string | null; reason: string };

/** The routing port the dispatch handler uses; the rule engine implements it. */
export abstract class RoutingEngine {
  abstract decide(manager: EntityManager, ticket: RoutableTicket): Promise<RoutingDecision>;
}
