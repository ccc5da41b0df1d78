import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ServiceEnvironment } from '@hotline/platform';

/** The supervision service's settings: office hours for hour-based limits, and the timer scan. */
export class SupervisionEnvironment extends ServiceEnvironment {
  /** 办公时间 for limits in hours and minutes, like `09:00-12:00,13:30-17:30`; unset: that default. */
  @IsOptional()
  @Matches(/^\s*\d{2}:\d{2}-\d{2}:\d{2}(\s*,\s*\d{2}:\d{2}-\d{2}:\d{2})*\s*$/, { message: 'must be like 09:00-12:00,13:30-17:30' })
  OFFICE_HOURS?: string = undefined;

  /** How often the durable timers are scanned for stages that fell due. */
  @IsInt()
  @Min(100)
  @Max(60_000)
  SLA_SCAN_INTERVAL_MS: number = 1_000;
}
