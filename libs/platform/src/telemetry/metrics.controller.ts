import { Controller, ForbiddenException, Get, Headers, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { ServiceEnvironment } from '../config/service-environment';
import { SERVICE_ENVIRONMENT } from '../tokens';
import { Public } from '../http/public.decorator';
import { Telemetry } from './telemetry';

/**
 * GET /metrics — Prometheus' scrape. Not behind the users' tokens (Prometheus has none); with
 * METRICS_TOKEN set, the scraper must send it as a bearer token.
 */
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly telemetry: Telemetry,
    @Inject(SERVICE_ENVIRONMENT) private readonly env: ServiceEnvironment,
  ) {}

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    if (this.env.METRICS_TOKEN && authorization !== `Bearer ${this.env.METRICS_TOKEN}`) {
      throw new ForbiddenException(['authorization: the scrape token is required']);
    }
    res.setHeader('content-type', this.telemetry.contentType);
    res.send(await this.telemetry.metrics());
  }
}
