import { IsCalendarDay } from '@hotline/platform';
import { IsIn, IsOptional } from 'class-validator';
import { COUNTER_DIMENSIONS, CounterDimension } from './daily-counter.entity';

export class DailyCountersQuery {
  @IsCalendarDay()
  day: string;

  @IsOptional()
  @IsIn(COUNTER_DIMENSIONS)
  dimension?: CounterDimension;
}
