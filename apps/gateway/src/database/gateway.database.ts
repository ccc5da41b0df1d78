import { ServiceDatabase } from '@hotline/platform';
import { AuditEntry } from '../audit/audit-entry.entity';
import { RefreshToken } from '../auth/refresh-token.entity';
import { ChannelKey } from '../channel-keys/channel-key.entity';
import { UserAccount } from '../users/user-account.entity';
import { CreateGatewaySchema1763900000000 } from './migrations/1763900000000-create-gateway-schema';

export const GATEWAY_DATABASE: ServiceDatabase = {
  entities: [UserAccount, RefreshToken, AuditEntry, ChannelKey],
  migrations: [CreateGatewaySchema1763900000000],
};
