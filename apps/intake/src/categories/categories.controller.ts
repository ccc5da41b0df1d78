import { Controller, Get } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Roles } from '@hotline/auth';
import { Category } from './category.entity';

interface CategoryTreeNode {
  code: string;
  name: string;
  domain: string;
  children: CategoryTreeNode[];
}

@Controller('api/categories')
export class CategoriesController {
  constructor(@InjectRepository(Category) private readonly categories: Repository<Category>) {}

  /** GET /api/categories — the active category tree, for the operator's cascader. */
  @Roles('operator', 'dispatcher', 'handler', 'supervisor', 'leader', 'admin')
  @Get()
  async tree(): Promise<CategoryTreeNode[]> {
    const rows = await this.categories.find({ where: { active: true }, order: { code: 'ASC' } });
    const nodes = new Map(rows.map((r) => [r.code, { code: r.code, name: r.name, domain: r.domain, children: [] as CategoryTreeNode[] }]));
    const roots: CategoryTreeNode[] = [];
    for (const row of rows) {
      const node = nodes.get(row.code) as CategoryTreeNode;
      const parent = row.parentCode ? nodes.get(row.parentCode) : undefined;
      (parent ? parent.children : roots).push(node);
    }
    return roots;
  }
}
