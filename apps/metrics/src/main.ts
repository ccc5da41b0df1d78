import 'reflect-metadata';
import { runService } from '@hotline/platform';
import { METRICS_DATABASE } from './database/metrics.database';
import { MetricsEnvironment } from './metrics.environment';
import { MetricsModule } from './metrics.module';
import { replayCommand } from './replay/replay-projections';

void runService({
  service: 'metrics',
  module: MetricsModule,
  database: METRICS_DATABASE,
  environment: MetricsEnvironment,
  commands: { replay: replayCommand },
});
