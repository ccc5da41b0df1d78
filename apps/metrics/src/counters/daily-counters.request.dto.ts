import { IsIn, IsOptional, Matches } from 'class-validator';
import { COUNTER_DIMENSIONS, CounterDimension } from './daily-counter.entity';

export class DailyCountersQuery {
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'day must be a date YYYY-MM-DD' })
  day: string;

  @IsOptional()
  @IsIn(COUNTER_DIMENSIONS)
  dimension?: CounterDimension;
}
