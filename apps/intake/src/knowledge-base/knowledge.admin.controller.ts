import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { AuthenticatedUser, CurrentUser, Roles } from '@hotline/auth';
import { uuidParam } from '@hotline/platform';
import { KnowledgeEntries, KnowledgeVersionView } from './knowledge-entries.service';
import { KnowledgeEntryView } from './knowledge-entry.view';
import { CreateKnowledgeEntryRequest, KnowledgeListQuery, UpdateKnowledgeEntryRequest } from './knowledge.request.dto';

/** 问答库维护 — administrators keep the answers current; every change is a new, audited version. */
@Roles('admin')
@Controller('api/admin/knowledge')
export class KnowledgeAdminController {
  constructor(private readonly entries: KnowledgeEntries) {}

  @Get()
  list(@Query() query: KnowledgeListQuery): Promise<{ items: KnowledgeEntryView[]; total: number }> {
    return this.entries.list(query);
  }

  @Post()
  @HttpCode(201)
  create(@Body() body: CreateKnowledgeEntryRequest, @CurrentUser() actor: AuthenticatedUser): Promise<KnowledgeEntryView> {
    return this.entries.create(body, actor.username);
  }

  @Put(':id')
  update(
    @Param('id', uuidParam()) id: string,
    @Body() body: UpdateKnowledgeEntryRequest,
    @CurrentUser() actor: AuthenticatedUser,
  ): Promise<KnowledgeEntryView> {
    return this.entries.update(id, body, actor.username);
  }

  /** 废止 — no body; the entry stops being found at once. */
  @Post(':id/retire')
  @HttpCode(200)
  retire(@Param('id', uuidParam()) id: string, @CurrentUser() actor: AuthenticatedUser): Promise<KnowledgeEntryView> {
    return this.entries.retire(id, actor.username);
  }

  @Get(':id/versions')
  versions(@Param('id', uuidParam()) id: string): Promise<KnowledgeVersionView[]> {
    return this.entries.versions(id);
  }
}
