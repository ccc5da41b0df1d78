import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SERVICE_ENVIRONMENT, ServiceEnvironment } from '@hotline/platform';
import { demoKnowledgeEntries } from './demo-knowledge.entries';
import { KnowledgeEntries } from './knowledge-entries.service';

/** The account name the demo entries and their first versions carry. */
export const DEMO_KNOWLEDGE_AUTHOR = 'demo-seed';

/** Seeds the demo policy answers when DEMO_SEED is set and the knowledge base is still empty. */
@Injectable()
export class DemoKnowledgeSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('demo');

  constructor(
    private readonly entries: KnowledgeEntries,
    @Inject(SERVICE_ENVIRONMENT) private readonly env: ServiceEnvironment,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The environment refuses DEMO_SEED in production (ServiceEnvironment), so this is demo mode.
    if (!this.env.DEMO_SEED) return;
    const inserted = await this.entries.seedIfEmpty(demoKnowledgeEntries(), DEMO_KNOWLEDGE_AUTHOR);
    if (inserted) this.logger.log(`demo knowledge base ready (${inserted} policy answers)`);
  }
}
