import { Controller, Get, Query as QueryParam } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { DOMAIN_EVENT_TYPES } from '@app/domain';
import { GetChangeFeedQuery } from './get-change-feed.query.js';

const commaList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : value;

export class ChangeFeedParams {
  @IsOptional()
  @Matches(/^\d+\.\d+$/, { message: 'after must be a cursor returned by a previous page' })
  after?: string;

  @IsOptional()
  @Transform(commaList)
  @IsIn(DOMAIN_EVENT_TYPES as unknown as string[], {
    each: true,
    message: `types must be event types: ${DOMAIN_EVENT_TYPES.join(', ')}`,
  })
  types?: string[];

  @IsOptional()
  @Transform(commaList)
  @Matches(/^NCT\d{8}$/i, { each: true, message: 'nctId must be NCT IDs, comma-separated' })
  nctId?: string[];

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

@ApiTags('changes')
@Controller('changes')
export class GetChangeFeedController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'The global change feed in commit order; page with ?after=<nextCursor>' })
  list(@QueryParam() params: ChangeFeedParams) {
    return this.queryBus.execute(
      new GetChangeFeedQuery({
        after: params.after,
        types: params.types,
        nctIds: params.nctId?.map((id) => id.toUpperCase()),
        limit: params.limit ?? 100,
      }),
    );
  }
}
