import 'reflect-metadata';
import { runService } from '@hotline/platform';
import { AssignmentModule } from './assignment.module';
import { ASSIGNMENT_DATABASE } from './database/assignment.database';

void runService({ service: 'assignment', module: AssignmentModule, database: ASSIGNMENT_DATABASE });
