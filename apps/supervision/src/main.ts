import 'reflect-metadata';
import { runService } from '@hotline/platform';
import { SUPERVISION_DATABASE } from './database/supervision.database';
import { SupervisionEnvironment } from './supervision.environment';
import { SupervisionModule } from './supervision.module';

void runService({
  service: 'supervision',
  module: SupervisionModule,
  database: SUPERVISION_DATABASE,
  environment: SupervisionEnvironment,
});
