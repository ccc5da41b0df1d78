import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '@hotline/auth';
import { PlatformModule } from '@hotline/platform';
import { AuditController } from './audit/audit.controller';
import { AuditEntry } from './audit/audit-entry.entity';
import { AuditTrail } from './audit/audit-trail';
import { AuthController } from './auth/auth.controller';
import { AddressThrottle } from './auth/login-protection';
import { SessionService } from './auth/session.service';
import { ChannelKeysAdminController } from './channel-keys/channel-keys.admin.controller';
import { ChannelKeysService } from './channel-keys/channel-keys.service';
import { GATEWAY_DATABASE } from './database/gateway.database';
import { DemoUsersSeeder } from './demo/demo-users.seeder';
import { GatewayEnvironment } from './gateway.environment';
import { ForwardAuthorizer } from './proxy/forward-authorizer';
import { UpstreamHealth } from './upstreams/upstream-health';
import { UserAccount } from './users/user-account.entity';
import { UsersAdminController } from './users/users.admin.controller';
import { UsersService } from './users/users.service';

/** The one origin of the console and outside clients: identity, then forwarding to the owner. */
@Module({
  imports: [
    PlatformModule.forService({ service: 'gateway', database: GATEWAY_DATABASE, environment: GatewayEnvironment }),
    TypeOrmModule.forFeature([UserAccount, AuditEntry]),
    AuthModule,
  ],
  controllers: [AuthController, UsersAdminController, AuditController, ChannelKeysAdminController],
  providers: [
    UpstreamHealth,
    AuditTrail,
    AddressThrottle,
    SessionService,
    UsersService,
    ChannelKeysService,
    ForwardAuthorizer,
    DemoUsersSeeder,
  ],
})
export class GatewayModule {}
