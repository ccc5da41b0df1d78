import 'reflect-metadata';
import { runService } from '@hotline/platform';
import { INTAKE_DATABASE } from './database/intake.database';
import { IntakeEnvironment } from './intake.environment';
import { IntakeModule } from './intake.module';

void runService({ service: 'intake', module: IntakeModule, database: INTAKE_DATABASE, environment: IntakeEnvironment });
