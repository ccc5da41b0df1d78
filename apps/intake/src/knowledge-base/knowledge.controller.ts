import { Controller, Get, Param, Query } from '@nestjs/common';
import { Roles } from '@hotline/auth';
import { uuidParam } from '@hotline/platform';
import { KnowledgeEntries } from './knowledge-entries.service';
import { KnowledgeEntryView, KnowledgeHit } from './knowledge-entry.view';
import { KnowledgeSearch } from './knowledge-search.service';
import { KnowledgeSearchQuery } from './knowledge.request.dto';

/** 政策咨询问答库 — what the staff read while a citizen is on the line. */
@Roles('operator', 'dispatcher', 'handler', 'supervisor', 'admin')
@Controller('api/knowledge')
export class KnowledgeController {
  constructor(
    private readonly search: KnowledgeSearch,
    private readonly entries: KnowledgeEntries,
  ) {}

  /** GET /api/knowledge?q=失业金怎么领&domain=&limit= — the best answers in force today, best first. */
  @Get()
  async find(@Query() query: KnowledgeSearchQuery): Promise<{ items: KnowledgeHit[] }> {
    return { items: await this.search.search(query.q, { domain: query.domain, limit: query.limit }) };
  }

  /** GET /api/knowledge/:id — one entry, also a retired one (a closed ticket may cite it). */
  @Get(':id')
  get(@Param('id', uuidParam()) id: string): Promise<KnowledgeEntryView> {
    return this.entries.get(id);
  }
}
