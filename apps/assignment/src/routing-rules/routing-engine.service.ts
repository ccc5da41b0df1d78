import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Department } from '../departments/department.entity';
import { RoutableTicket, RoutingDecision, RoutingEngine } from '../route-ticket/routing-decision';
import { decideRouting, RoutingOutcome } from './decide-routing';
import { MunicipalMatter } from './municipal-matter.entity';
import { RoutingRule } from './routing-rule.entity';

/** What routing reads: the active rules, every department (inactive ones too, so the trace can name them), the municipal-matter list. */
export interface RoutingTables {
  rules: RoutingRule[];
  departments: Department[];
  municipalMatters: MunicipalMatter[];
}

/** Reads the routing tables through `manager` (inside a transaction: that transaction's view). */
export async function readRoutingTables(manager: EntityManager): Promise<RoutingTables> {
  // One after the other: inside a transaction the manager holds a single connection.
  const rules = await manager.find(RoutingRule, { where: { active: true }, order: { priority: 'ASC', id: 'ASC' } });
  const departments = await manager.find(Department);
  const municipalMatters = await manager.find(MunicipalMatter);
  return { rules, departments, municipalMatters };
}

/**
 * Decides a ticket's routing from the tables `manager` reads. Called inside the caller's
 * transaction, the decision rests on exactly the rules that transaction sees.
 */
export async function explainRouting(manager: EntityManager, ticket: RoutableTicket, tables?: RoutingTables): Promise<RoutingOutcome> {
  const { rules, departments, municipalMatters } = tables ?? (await readRoutingTables(manager));
  return decideRouting(ticket, rules, departments, municipalMatters);
}

/** 派单规则引擎 — the RoutingEngine port implemented by the rule table (decide-routing.ts). */
@Injectable()
export class RoutingEngineService extends RoutingEngine {
  /**
   * The tables as each open transaction first read them: a consumer's batch routes all its
   * tickets by one reading (three queries and a few hundred rows to build were most of routing's
   * cost per ticket), as one statement would. A rule changed meanwhile applies from the next batch.
   */
  private readonly tablesOf = new WeakMap<EntityManager, Promise<RoutingTables>>();
  /**
   * The last tables read, under the version of what routing reads (moved by every write to those
   * tables: migration 1765900000000): a batch whose transaction sees that version reads one row,
   * not the three tables again. Most batches under load hold a handful of tickets.
   */
  private latest: { version: string; tables: Promise<RoutingTables> } | null = null;

  /** Must be called inside the caller's transaction (the consumer's), with its manager. */
  async decide(manager: EntityManager, ticket: RoutableTicket): Promise<RoutingDecision> {
    // Outside a transaction (a manager that lives on) nothing is kept.
    if (!manager.queryRunner?.isTransactionActive) return (await explainRouting(manager, ticket)).decision;
    let tables = this.tablesOf.get(manager);
    if (!tables) {
      tables = this.currentTables(manager);
      this.tablesOf.set(manager, tables);
      // A failed read is not kept: the retried transaction reads again.
      tables.catch(() => this.tablesOf.delete(manager));
    }
    return (await explainRouting(manager, ticket, await tables)).decision;
  }

  private async currentTables(manager: EntityManager): Promise<RoutingTables> {
    // The version before the tables: a change committed between the two moves the version on,
    // so tables are never kept under a version older than what they hold.
    const [{ version }]: { version: string }[] = await manager.query(`SELECT version::text AS version FROM assignment.routing_tables_version`);
    const latest = this.latest;
    if (latest?.version === version) return latest.tables;
    const tables = readRoutingTables(manager);
    this.latest = { version, tables };
    tables.catch(() => {
      if (this.latest?.tables === tables) this.latest = null;
    });
    return tables;
  }
}
