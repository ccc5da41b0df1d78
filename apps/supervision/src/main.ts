import 'reflect-metadata';
import { runService } from '@hotline/platform';
import { SUPERVISION_DATABASE } from './database/supervision.database';
import { SupervisionModule } from './supervision.module';

void runService({ service: 'supervision', module: SupervisionModule, database: SUPERVISION_DATABASE });
