import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DepartmentVersion } from '../departments/department-version.entity';
import { Department } from '../departments/department.entity';
import { DepartmentsAdminController } from '../departments/departments.admin.controller';
import { DepartmentsService } from '../departments/departments.service';
import { RoutingEngine } from '../route-ticket/routing-decision';
import { MunicipalMatter } from './municipal-matter.entity';
import { RoutingEngineService } from './routing-engine.service';
import { RoutingRuleVersion } from './routing-rule-version.entity';
import { RoutingRule } from './routing-rule.entity';
import { RoutingRulesAdminController } from './routing-rules.admin.controller';
import { RoutingRulesService } from './routing-rules.service';

/**
 * 派单规则 — the rule engine behind the RoutingEngine port, and the administration of rules and
 * departments (master data). Needs the service's PlatformModule (DataSource) and AuthModule (the
 * guard) from the importing module; exports RoutingEngine for the dispatch handler.
 */
@Module({
  imports: [TypeOrmModule.forFeature([RoutingRule, RoutingRuleVersion, MunicipalMatter, Department, DepartmentVersion])],
  controllers: [RoutingRulesAdminController, DepartmentsAdminController],
  providers: [{ provide: RoutingEngine, useClass: RoutingEngineService }, RoutingRulesService, DepartmentsService],
  exports: [RoutingEngine],
})
export class RoutingRulesModule {}
