import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DemoKnowledgeSeeder } from './demo-knowledge.seeder';
import { KnowledgeEntries } from './knowledge-entries.service';
import { KnowledgeEntryVersion } from './knowledge-entry-version.entity';
import { KnowledgeEntry } from './knowledge-entry.entity';
import { KnowledgeSearch } from './knowledge-search.service';
import { KnowledgeTerm } from './knowledge-term.entity';
import { KnowledgeAdminController } from './knowledge.admin.controller';
import { KnowledgeController } from './knowledge.controller';

/**
 * 政策咨询问答库 — search for operators, maintenance for administrators, demo answers in demo
 * mode. Needs the intake service's PlatformModule (DataSource, SERVICE_ENVIRONMENT) and AuthModule
 * (the guard) from the importing module; exports nothing.
 */
@Module({
  imports: [TypeOrmModule.forFeature([KnowledgeEntry, KnowledgeEntryVersion, KnowledgeTerm])],
  controllers: [KnowledgeController, KnowledgeAdminController],
  providers: [KnowledgeEntries, KnowledgeSearch, DemoKnowledgeSeeder],
})
export class KnowledgeBaseModule {}
