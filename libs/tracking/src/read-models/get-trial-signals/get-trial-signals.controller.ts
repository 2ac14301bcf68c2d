import { Controller, Get, Param, Query as QueryParam } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Clock } from '@app/infrastructure';
import { NctIdPipe } from '../../shared/nct-id.pipe.js';
import { IsOptional } from 'class-validator';
import { IsCalendarDay } from '../../shared/query-params.js';
import { GetTrialSignalsQuery } from './get-trial-signals.query.js';

export class TrialSignalsParams {
  @ApiPropertyOptional({ description: 'The day, YYYY-MM-DD (default: today)' })
  @IsOptional()
  @IsCalendarDay('on must be a day of the calendar as YYYY-MM-DD')
  on?: string;
}

@ApiTags('trials')
@Controller('trials')
export class GetTrialSignalsController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Get(':nctId/signals')
  @ApiOperation({
    summary:
      "One trial's signals on a day, from its record as it stood that day: its results-due state (FDAAA 801, approximated) and each registry-hygiene flag " +
      'holding, with the day it started to hold',
  })
  @ApiParam({ name: 'nctId', example: 'NCT00513591' })
  get(@Param('nctId', NctIdPipe) nctId: string, @QueryParam() params: TrialSignalsParams) {
    return this.queryBus.execute(new GetTrialSignalsQuery(nctId, params.on ?? this.clock.nowIso().slice(0, 10)));
  }
}
