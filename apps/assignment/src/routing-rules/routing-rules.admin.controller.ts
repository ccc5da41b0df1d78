import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { AuthenticatedUser, CurrentUser, Roles } from '@hotline/auth';
import { uuidParam } from '@hotline/platform';
import { RoutingOutcome } from './decide-routing';
import { MunicipalMatter } from './municipal-matter.entity';
import { CreateRoutingRuleRequest, RoutingDryRunRequest, UpdateRoutingRuleRequest } from './routing-rule.request.dto';
import { RoutingRulesService, RoutingRuleVersionView, RoutingRuleView } from './routing-rules.service';

/** 派单规则维护 — administrators keep the rules; every change is a new version with its author. */
@Roles('admin')
@Controller('api/admin/routing-rules')
export class RoutingRulesAdminController {
  constructor(private readonly rules: RoutingRulesService) {}

  /** Every rule, retired ones too; active ones first in the order they are tried. */
  @Get()
  list(): Promise<{ items: RoutingRuleView[]; total: number }> {
    return this.rules.list();
  }

  @Post()
  @HttpCode(201)
  create(@Body() body: CreateRoutingRuleRequest, @CurrentUser() actor: AuthenticatedUser): Promise<RoutingRuleView> {
    return this.rules.create(body, actor.username);
  }

  /** Where would this ticket go and why — nothing is written. Dispatchers use it too. */
  @Roles('admin', 'dispatcher')
  @Post('dry-run')
  @HttpCode(200)
  dryRun(@Body() body: RoutingDryRunRequest): Promise<RoutingOutcome> {
    return this.rules.dryRun(body);
  }

  /** 市级事项 — the categories the 基层减负 guard keeps from district bureaus. */
  @Roles('admin', 'dispatcher')
  @Get('municipal-matters')
  municipalMatters(): Promise<MunicipalMatter[]> {
    return this.rules.municipalMatters();
  }

  @Put(':id')
  update(
    @Param('id', uuidParam()) id: string,
    @Body() body: UpdateRoutingRuleRequest,
    @CurrentUser() actor: AuthenticatedUser,
  ): Promise<RoutingRuleView> {
    return this.rules.update(id, body, actor.username);
  }

  /** 停用 — no body; the rule is not tried for any ticket routed after this. */
  @Post(':id/retire')
  @HttpCode(200)
  retire(@Param('id', uuidParam()) id: string, @CurrentUser() actor: AuthenticatedUser): Promise<RoutingRuleView> {
    return this.rules.retire(id, actor.username);
  }

  @Get(':id/versions')
  versions(@Param('id', uuidParam()) id: string): Promise<RoutingRuleVersionView[]> {
    return this.rules.versions(id);
  }
}
