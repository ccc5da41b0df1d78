import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Department } from '../departments/department.entity';
import { RoutableTicket, RoutingDecision, RoutingEngine } from '../route-ticket/routing-decision';
import { decideRouting, RoutingOutcome } from './decide-routing';
import { MunicipalMatter } from './municipal-matter.entity';
import { RoutingRule } from './routing-rule.entity';

/**
 * Reads what routing needs — the active rules, every department (inactive ones too, so the trace
 * can name them), the municipal-matter list — through `manager`, and decides. Called inside the
 * caller's transaction, the decision rests on exactly the rules that transaction sees.
 */
export async function explainRouting(manager: EntityManager, ticket: RoutableTicket): Promise<RoutingOutcome> {
  // One after the other: inside a transaction the manager holds a single connection.
  const rules = await manager.find(RoutingRule, { where: { active: true }, order: { priority: 'ASC', id: 'ASC' } });
  const departments = await manager.find(Department);
  const municipalMatters = await manager.find(MunicipalMatter);
  return decideRouting(ticket, rules, departments, municipalMatters);
}

/** 派单规则引擎 — the RoutingEngine port implemented by the rule table (decide-routing.ts). */
@Injectable()
export class RoutingEngineService extends RoutingEngine {
  /** Must be called inside the caller's transaction (the consumer's), with its manager. */
  async decide(manager: EntityManager, ticket: RoutableTicket): Promise<RoutingDecision> {
    return (await explainRouting(manager, ticket)).decision;
  }
}
