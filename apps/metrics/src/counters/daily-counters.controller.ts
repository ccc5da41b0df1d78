import { Controller, Get, Query } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Roles } from '@hotline/auth';
import { DailyCounter } from './daily-counter.entity';
import { DailyCountersQuery } from './daily-counters.request.dto';

@Roles('leader', 'supervisor')
@Controller('api/metrics/daily')
export class DailyCountersController {
  constructor(@InjectRepository(DailyCounter) private readonly counters: Repository<DailyCounter>) {}

  /** GET /api/metrics/daily?day=YYYY-MM-DD[&dimension=department] — the day's counters. */
  @Get()
  list(@Query() query: DailyCountersQuery): Promise<DailyCounter[]> {
    return this.counters.find({
      where: { day: query.day, ...(query.dimension ? { dimension: query.dimension } : {}) },
      order: { dimension: 'ASC', dimensionKey: 'ASC', measure: 'ASC' },
    });
  }
}
