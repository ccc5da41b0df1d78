import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Matches, Min } from 'class-validator';
import { DataSource, EntityManager } from 'typeorm';
import { departmentId } from '@hotline/contracts';
import { ApiError, toVersionView, VersionView } from '@hotline/platform';
import { DepartmentChange, DepartmentSnapshot, DepartmentVersion } from './department-version.entity';
import { Department } from './department.entity';

/** Leading and trailing blanks are no part of what was typed. */
const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/** The code a new office gets: capitals and digits, starting with a letter (region codes are digits). */
export const NEW_DEPARTMENT_CODE_PATTERN = /^[A-Z][A-Z0-9]{1,19}$/;

/** Codes with a meaning of their own in routing rules, never a department's. */
const RESERVED_CODES = ['REGION'];

/** POST /api/admin/departments — a new municipal office or unit (市局处室/直属单位). */
export class CreateDepartmentRequest {
  @Trim()
  @IsString()
  @Matches(NEW_DEPARTMENT_CODE_PATTERN, {
    message: 'code must be 2–20 capital letters or digits starting with a letter, like RSKS (region bureaus already exist)',
  })
  code: string;

  @Trim()
  @IsString()
  @Length(2, 100, { message: 'name must be 2–100 characters' })
  name: string;
}

/** PUT /api/admin/departments/:id — rename, deactivate or reactivate; nothing is ever deleted. */
export class UpdateDepartmentRequest {
  /** The version the editor started from; refused with 409 when someone changed it since. */
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;

  @IsOptional()
  @Trim()
  @IsString()
  @Length(2, 100, { message: 'name must be 2–100 characters' })
  name?: string;

  /** False: no new ticket is routed to it (rules naming it fall to the dispatcher's queue). */
  @IsOptional()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}

export type DepartmentVersionView = VersionView<DepartmentChange, DepartmentSnapshot>;

const notFound = () => new NotFoundException(['id: no such department']);

/**
 * 承办单位维护 — departments are master data the administrator keeps: created, renamed,
 * deactivated, never deleted (tickets and history point at them). Each change bumps the version
 * and writes its version row in the same transaction.
 */
@Injectable()
export class DepartmentsService {
  constructor(private readonly dataSource: DataSource) {}

  /** Every department, inactive ones too: offices first, then the bureaus by code. */
  list(): Promise<Department[]> {
    return this.dataSource.getRepository(Department).find({ order: { kind: 'DESC', code: 'ASC' } });
  }

  async create(request: CreateDepartmentRequest, actor: string): Promise<Department> {
    if (RESERVED_CODES.includes(request.code)) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: [`code: ${request.code} is reserved in routing rules for the ticket's region bureau`],
      } satisfies ApiError);
    }
    return this.dataSource.transaction(async (manager) => {
      // One creator per code at a time, so two requests for the same code cannot both pass the check.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`assignment:department:${request.code}`]);
      const existing = await manager.findOneBy(Department, { code: request.code });
      if (existing) {
        throw new ConflictException([
          `code: ${request.code} is already the code of "${existing.name}"${existing.active ? '' : ' (inactive: reactivate it instead)'}`,
        ]);
      }
      const department: Department = {
        // The same name-based id every environment gives this code (departmentCatalog does the same).
        id: departmentId(request.code),
        code: request.code,
        name: request.name,
        kind: 'municipal-office',
        regionCode: null,
        active: true,
        version: 1,
      };
      await manager.insert(Department, department);
      await recordVersion(manager, department, 'created', actor);
      return department;
    });
  }

  /** Applies the given fields; nothing changed → the department as it is, no new version. */
  async update(id: string, request: UpdateDepartmentRequest, actor: string): Promise<Department> {
    return this.dataSource.transaction(async (manager) => {
      const department = await manager.getRepository(Department).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!department) throw notFound();
      if (request.version != null && request.version !== department.version) {
        throw new ConflictException([
          `version: the department is at version ${department.version}; reload it and apply the change again`,
        ]);
      }
      const next = { name: request.name ?? department.name, active: request.active ?? department.active };
      if (next.name === department.name && next.active === department.active) return department;
      const updated: Department = { ...department, ...next, version: department.version + 1 };
      await manager.update(Department, { id }, { ...next, version: updated.version });
      await recordVersion(manager, updated, 'updated', actor);
      return updated;
    });
  }

  /** The department's history, oldest first. */
  async versions(id: string): Promise<DepartmentVersionView[]> {
    if (!(await this.dataSource.getRepository(Department).existsBy({ id }))) throw notFound();
    const rows = await this.dataSource.getRepository(DepartmentVersion).find({
      where: { departmentId: id },
      order: { version: 'ASC' },
    });
    return rows.map(toVersionView);
  }
}

async function recordVersion(manager: EntityManager, d: Department, change: DepartmentChange, actor: string): Promise<void> {
  const snapshot: DepartmentSnapshot = { code: d.code, name: d.name, kind: d.kind, regionCode: d.regionCode, active: d.active };
  // TypeORM's insert typing cannot express a jsonb column of a nested shape.
  await manager.insert(DepartmentVersion, {
    departmentId: d.id,
    version: d.version,
    change,
    snapshot,
    changedBy: actor,
    changedAt: new Date(),
  } as never);
}
