import { Controller, Get } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Roles } from '@hotline/auth';
import { Department } from './department.entity';

@Controller('api/departments')
export class DepartmentsController {
  constructor(@InjectRepository(Department) private readonly departments: Repository<Department>) {}

  /** GET /api/departments — every active department with its code and region. */
  @Roles('operator', 'dispatcher', 'handler', 'supervisor', 'leader', 'admin')
  @Get()
  list(): Promise<Department[]> {
    return this.departments.find({ where: { active: true }, order: { kind: 'DESC', code: 'ASC' } });
  }
}
