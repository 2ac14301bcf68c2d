import { Controller, Get, Query as QueryParam } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChangeFeedParams, toChangeFeedFilter } from './change-feed-params.js';
import { GetChangeFeedQuery } from './get-change-feed.query.js';

@ApiTags('changes')
@Controller('changes')
export class GetChangeFeedController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'The global change feed in commit order; page with ?after=<nextCursor>',
    description: 'Filters: types, nctId, condition, sponsor, phase, watchlist (comma-separated lists; all must hold).',
  })
  list(@QueryParam() params: ChangeFeedParams) {
    return this.queryBus.execute(new GetChangeFeedQuery(toChangeFeedFilter(params, params.after, params.limit ?? 100)));
  }
}
