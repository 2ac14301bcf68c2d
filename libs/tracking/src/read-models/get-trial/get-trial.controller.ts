import { Controller, Get, Param, Query as QueryParam } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { NctIdPipe } from '../../shared/nct-id.pipe.js';
import { GetTrialQuery } from './get-trial.query.js';

export class GetTrialParams {
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'asOf must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'asOf must be a real calendar date (YYYY-MM-DD)' })
  asOf?: string;
}

@ApiTags('trials')
@Controller('trials')
export class GetTrialController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':nctId')
  @ApiOperation({ summary: "A trial's current state, or its state as the registry showed it on a past date" })
  @ApiParam({ name: 'nctId', example: 'NCT00513591' })
  @ApiQuery({ name: 'asOf', required: false, example: '2016-12-31' })
  get(@Param('nctId', NctIdPipe) nctId: string, @QueryParam() params: GetTrialParams) {
    return this.queryBus.execute(new GetTrialQuery(nctId, params.asOf));
  }
}
