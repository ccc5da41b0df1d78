import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hashPassword } from '@hotline/auth';
import { departmentCatalog, Role, uuidv7 } from '@hotline/contracts';
import { SERVICE_ENVIRONMENT } from '@hotline/platform';
import { GatewayEnvironment } from '../gateway.environment';
import { UserAccount } from '../users/user-account.entity';

/** The demo password of API.md; printed by `npm start`, refused in production. */
export const DEMO_PASSWORD = 'Demo@12333';

interface DemoUser {
  username: string;
  displayName: string;
  role: Role;
  departmentId?: string;
  regionCode?: string;
}

/** The demo users of API.md: one per role, a district supervisor, and one handler per department. */
export function demoUsers(): DemoUser[] {
  return [
    { username: 'admin', displayName: '系统管理员', role: 'admin' },
    { username: 'operator', displayName: '12333话务员', role: 'operator' },
    { username: 'dispatcher', displayName: '派单员', role: 'dispatcher' },
    { username: 'supervisor', displayName: '市局督办员', role: 'supervisor' },
    { username: 'supervisor.500103', displayName: '渝中区督办员', role: 'supervisor', regionCode: '500103' },
    { username: 'leader', displayName: '局领导', role: 'leader' },
    ...departmentCatalog().map((d) => ({
      username: `handler.${d.code.toLowerCase()}`,
      displayName: `${d.name}承办人`,
      role: 'handler' as const,
      departmentId: d.id,
    })),
  ];
}

/** Seeds the demo users when DEMO_SEED is set; existing accounts are left as they are. */
@Injectable()
export class DemoUsersSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('demo');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_ENVIRONMENT) private readonly env: GatewayEnvironment,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The environment refuses DEMO_SEED in production (ServiceEnvironment), so this is demo mode.
    if (!this.env.DEMO_SEED) return;
    // One hash for all: the demo password is public anyway, and 57 scrypt runs would slow start-up.
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const rows = demoUsers().map((u) => ({
      id: uuidv7(),
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      departmentId: u.departmentId ?? null,
      regionCode: u.regionCode ?? null,
      passwordHash,
    }));
    const result = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(UserAccount)
      .values(rows)
      .orIgnore()
      .execute();
    this.logger.log(`demo users ready (${result.identifiers.filter(Boolean).length} new), password ${DEMO_PASSWORD}`);
  }
}
