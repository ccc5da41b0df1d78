import { Controller, MessageEvent, Sse } from '@nestjs/common';
import { Observable } from 'rxjs';
import { Roles } from '@hotline/auth';
import { LiveUpdates } from './live-updates';

@Controller('api/metrics')
export class LiveController {
  constructor(private readonly live: LiveUpdates) {}

  /**
   * GET /api/metrics/stream — server-sent events: `change` when the numbers moved (then the
   * console reloads what it shows), `heartbeat` every 15 s.
   */
  @Roles('leader', 'supervisor')
  @Sse('stream')
  stream(): Observable<MessageEvent> {
    return this.live.stream();
  }
}
