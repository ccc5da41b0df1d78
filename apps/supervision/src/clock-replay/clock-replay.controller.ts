import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { IsBoolean, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Roles } from '@hotline/auth';
import { ClockReplayService } from './clock-replay.service';

export class RecomputeRequest {
  @IsBoolean()
  dryRun: boolean;

  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

@Controller('api/admin/sla-clocks')
export class ClockReplayController {
  constructor(private readonly replay: ClockReplayService) {}

  /** POST /api/admin/sla-clocks/recompute — recompute the open clocks; `dryRun` only reports. */
  @Roles('admin')
  @Post('recompute')
  @HttpCode(200)
  recompute(@Body() body: RecomputeRequest) {
    return this.replay.recompute(body.dryRun, body.reason);
  }
}
