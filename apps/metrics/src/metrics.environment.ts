import { IsInt, IsNumber, Max, Min } from 'class-validator';
import { ServiceEnvironment } from '@hotline/platform';
import { DEFAULT_HOTSPOT_RULE } from './hotspots/hotspot-rule';

/** The metrics service's settings: when a rise of demands is a hotspot. */
export class MetricsEnvironment extends ServiceEnvironment {
  /** The fewest demands in a day about one matter that can be a hotspot. */
  @IsInt()
  @Min(2)
  @Max(10_000)
  HOTSPOT_MIN_COUNT: number = DEFAULT_HOTSPOT_RULE.minCount;

  /** How many times its baseline day a matter's day must reach. */
  @IsNumber()
  @Min(1.1)
  @Max(100)
  HOTSPOT_RATIO: number = DEFAULT_HOTSPOT_RULE.ratio;

  /** Days before the day in question that make the baseline. */
  @IsInt()
  @Min(7)
  @Max(365)
  HOTSPOT_BASELINE_DAYS: number = DEFAULT_HOTSPOT_RULE.baselineDays;

  /**
   * `replay`: up to this many messages on the events topics the events are ordered in memory;
   * beyond, staged and ordered in PostgreSQL (bounded memory, whatever the history's size).
   * ≈ 2 KB of heap a message while ordered: 60,000 stays well inside the images' heap limit
   * (192 MB, tools/scripts/lib/services.mjs); raise both together.
   */
  @IsInt()
  @Min(0)
  @Max(5_000_000)
  REPLAY_IN_MEMORY_UP_TO: number = 60_000;
}
