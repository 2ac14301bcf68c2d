import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { NctIdPipe } from '../../shared/nct-id.pipe.js';
import { GetTrialEventsQuery } from './get-trial-events.query.js';

@ApiTags('trials')
@Controller('trials')
export class GetTrialEventsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':nctId/events')
  @ApiOperation({ summary: "The trial's domain events in stream order, with their metadata" })
  @ApiParam({ name: 'nctId', example: 'NCT00513591' })
  get(@Param('nctId', NctIdPipe) nctId: string) {
    return this.queryBus.execute(new GetTrialEventsQuery(nctId));
  }
}
