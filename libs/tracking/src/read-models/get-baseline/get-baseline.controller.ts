import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { NctIdPipe } from '../../shared/nct-id.pipe.js';
import { GetBaselineQuery } from './get-baseline.query.js';

@ApiTags('trials')
@Controller('trials')
export class GetBaselineController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':nctId/baseline')
  @ApiOperation({
    summary:
      'First registered versus current: status, enrollment, primary outcomes, primary completion and completion dates, ' +
      'each with its first known value, its current value and the registry changes in between',
  })
  @ApiParam({ name: 'nctId', example: 'NCT00513591' })
  get(@Param('nctId', NctIdPipe) nctId: string) {
    return this.queryBus.execute(new GetBaselineQuery(nctId));
  }
}
