import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HealthRegistry, SERVICE_ENVIRONMENT } from '@hotline/platform';
import { GatewayEnvironment } from '../gateway.environment';
import { upstreamUrls } from '../proxy/route-table';

/** The gateway is ready when every service it forwards to answers its liveness probe. */
@Injectable()
export class UpstreamHealth implements OnModuleInit {
  constructor(
    private readonly registry: HealthRegistry,
    @Inject(SERVICE_ENVIRONMENT) private readonly env: GatewayEnvironment,
  ) {}

  onModuleInit(): void {
    for (const [name, url] of Object.entries(upstreamUrls(this.env))) {
      this.registry.register(name, async () => {
        const answer = await fetch(new URL('/health/live', url), { signal: AbortSignal.timeout(1_500) });
        return { ok: answer.ok };
      });
    }
  }
}
