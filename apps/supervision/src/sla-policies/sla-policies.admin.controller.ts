import { Body, ConflictException, Controller, Get, HttpCode, Put } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { DataSource } from 'typeorm';
import { AuthenticatedUser, CurrentUser, Roles } from '@hotline/auth';
import { DEMAND_TYPES, DemandType, SLA_UNITS, SlaUnit, toOffsetIso, URGENCIES, Urgency } from '@hotline/contracts';
import { refusedField } from '@hotline/platform';
import { SlaPolicyRuleRow } from './sla-policy-rule.entity';
import { SlaPolicyVersion } from './sla-policy-version.entity';

export class SlaLimitDto {
  @IsInt()
  @Min(1)
  @Max(1000)
  amount: number;

  @IsIn(SLA_UNITS)
  unit: SlaUnit;
}

export class SlaRuleDto {
  @IsIn(DEMAND_TYPES)
  demandType: DemandType;

  @IsIn(URGENCIES)
  urgency: Urgency;

  @ValidateNested()
  @Type(() => SlaLimitDto)
  signFor: SlaLimitDto;

  @ValidateNested()
  @Type(() => SlaLimitDto)
  reply: SlaLimitDto;

  @IsNumber()
  @Min(0.05)
  @Max(0.95)
  warningFraction: number;

  /** 挂牌督办 this many working days after the deadline (default: unchanged). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  listingAfterWorkingDays?: number;

  /** 督办 at this many linked repeats (default: unchanged). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(50)
  repeatsForSupervision?: number;
}

export class PublishSlaPolicyRequest {
  /** The rules that change; every other demand type × urgency keeps its current limits. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(DEMAND_TYPES.length * URGENCIES.length)
  @ValidateNested({ each: true })
  @Type(() => SlaRuleDto)
  rules: SlaRuleDto[];

  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  note: string;
}

/**
 * 时限策略 — the SLA policy as versioned data. Publishing writes a whole new version (the
 * changed rules plus the rest carried over); running clocks keep the version they started with.
 */
@Controller('api/admin/sla-policies')
export class SlaPoliciesAdminController {
  constructor(private readonly dataSource: DataSource) {}

  @Roles('admin', 'supervisor')
  @Get()
  async list() {
    const [rules, versions] = await Promise.all([
      this.dataSource.getRepository(SlaPolicyRuleRow).find({ order: { version: 'DESC', demandType: 'ASC', urgency: 'ASC' } }),
      this.dataSource.getRepository(SlaPolicyVersion).find({ order: { version: 'DESC' } }),
    ]);
    return {
      currentVersion: versions[0]?.version ?? null,
      versions: versions.map((v) => ({
        version: v.version,
        changedBy: v.changedBy,
        changedAt: toOffsetIso(v.changedAt),
        note: v.note,
        rules: rules.filter((r) => r.version === v.version).map(present),
      })),
    };
  }

  @Roles('admin')
  @Put()
  @HttpCode(200)
  async publish(@Body() body: PublishSlaPolicyRequest, @CurrentUser() user: AuthenticatedUser) {
    const keys = body.rules.map((r) => `${r.demandType}/${r.urgency}`);
    const duplicate = keys.find((k, i) => keys.indexOf(k) !== i);
    if (duplicate) throw refusedField('rules', `${duplicate} appears twice`, `时限规则${duplicate}重复`);
    return this.dataSource.transaction(async (manager) => {
      await manager.query('LOCK TABLE supervision.sla_policy_version IN EXCLUSIVE MODE');
      const [{ current }] = await manager.query('SELECT max(version) AS current FROM supervision.sla_policy_version');
      if (current === null) throw new ConflictException(['version: no policy to change']);
      const currentRules = await manager.find(SlaPolicyRuleRow, { where: { version: current } });
      const next = current + 1;
      const byKey = new Map(body.rules.map((r) => [`${r.demandType}/${r.urgency}`, r]));
      const rows: SlaPolicyRuleRow[] = currentRules.map((old) => {
        const rule = byKey.get(`${old.demandType}/${old.urgency}`);
        return rule
          ? {
              version: next,
              demandType: rule.demandType,
              urgency: rule.urgency,
              signForAmount: rule.signFor.amount,
              signForUnit: rule.signFor.unit,
              replyAmount: rule.reply.amount,
              replyUnit: rule.reply.unit,
              warningFraction: rule.warningFraction,
              listingAfterWorkingDays: rule.listingAfterWorkingDays ?? old.listingAfterWorkingDays,
              repeatsForSupervision: rule.repeatsForSupervision ?? old.repeatsForSupervision,
            }
          : { ...old, version: next };
      });
      await manager.insert(SlaPolicyRuleRow, rows);
      await manager.insert(SlaPolicyVersion, { version: next, changedBy: user.username, changedAt: new Date(), note: body.note });
      return { version: next, rules: rows.map(present) };
    });
  }
}

function present(r: SlaPolicyRuleRow) {
  return {
    demandType: r.demandType,
    urgency: r.urgency,
    signFor: { amount: r.signForAmount, unit: r.signForUnit },
    reply: { amount: r.replyAmount, unit: r.replyUnit },
    warningFraction: r.warningFraction,
    listingAfterWorkingDays: r.listingAfterWorkingDays,
    repeatsForSupervision: r.repeatsForSupervision,
  };
}
