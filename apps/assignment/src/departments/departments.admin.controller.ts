import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { AuthenticatedUser, CurrentUser, Roles } from '@hotline/auth';
import { uuidParam } from '@hotline/platform';
import { Department } from './department.entity';
import {
  CreateDepartmentRequest,
  DepartmentsService,
  DepartmentVersionView,
  UpdateDepartmentRequest,
} from './departments.service';

/** 承办单位维护 — administrators add offices, rename and (de)activate; every change is versioned. */
@Roles('admin')
@Controller('api/admin/departments')
export class DepartmentsAdminController {
  constructor(private readonly departments: DepartmentsService) {}

  /** Every department, inactive ones too (GET /api/departments lists only the active ones). */
  @Get()
  list(): Promise<Department[]> {
    return this.departments.list();
  }

  @Post()
  @HttpCode(201)
  create(@Body() body: CreateDepartmentRequest, @CurrentUser() actor: AuthenticatedUser): Promise<Department> {
    return this.departments.create(body, actor.username);
  }

  @Put(':id')
  update(
    @Param('id', uuidParam()) id: string,
    @Body() body: UpdateDepartmentRequest,
    @CurrentUser() actor: AuthenticatedUser,
  ): Promise<Department> {
    return this.departments.update(id, body, actor.username);
  }

  @Get(':id/versions')
  versions(@Param('id', uuidParam()) id: string): Promise<DepartmentVersionView[]> {
    return this.departments.versions(id);
  }
}
