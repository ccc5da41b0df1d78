import { IsInstant } from '@hotline/platform';
import { Controller, Get, Query } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Between, FindOptionsWhere, LessThanOrEqual, MoreThanOrEqual, Repository } from 'typeorm';
import { Roles } from '@hotline/auth';
import { AuditAction, AuditEntry } from './audit-entry.entity';

export class AuditQuery {
  @IsOptional()
  @IsString()
  @MaxLength(50)
  action?: AuditAction;

  @IsOptional()
  @IsInstant()
  from?: string;

  @IsOptional()
  @IsInstant()
  to?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit = 200;
}

/** GET /api/admin/audit — logins, failed logins, lockouts and administrative changes, newest first. */
@Roles('admin')
@Controller('api/admin/audit')
export class AuditController {
  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  @Get()
  list(@Query() query: AuditQuery): Promise<AuditEntry[]> {
    const where: FindOptionsWhere<AuditEntry> = {};
    if (query.action) where.action = query.action;
    if (query.from && query.to) where.at = Between(new Date(query.from), new Date(query.to));
    else if (query.from) where.at = MoreThanOrEqual(new Date(query.from));
    else if (query.to) where.at = LessThanOrEqual(new Date(query.to));
    return this.entries.find({ where, order: { id: 'DESC' }, take: query.limit });
  }
}
