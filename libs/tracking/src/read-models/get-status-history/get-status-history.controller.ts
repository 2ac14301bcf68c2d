import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { NctIdPipe } from '../../shared/nct-id.pipe.js';
import { GetStatusHistoryQuery } from './get-status-history.query.js';

@ApiTags('trials')
@Controller('trials')
export class GetStatusHistoryController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':nctId/status-history')
  @ApiOperation({ summary: 'Overall status periods: status, from, to, days in status' })
  @ApiParam({ name: 'nctId', example: 'NCT00513591' })
  get(@Param('nctId', NctIdPipe) nctId: string) {
    return this.queryBus.execute(new GetStatusHistoryQuery(nctId));
  }
}
