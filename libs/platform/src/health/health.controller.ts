import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../http/public.decorator';
import { HealthRegistry } from './health-registry';

/** `/health/live` says the process answers; `/health/ready` and `/health` run every check. */
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly registry: HealthRegistry) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get()
  async health(@Res({ passthrough: true }) res: Response) {
    return this.ready(res);
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response) {
    const { ready, checks } = await this.registry.run();
    res.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not-ready', checks };
  }
}
