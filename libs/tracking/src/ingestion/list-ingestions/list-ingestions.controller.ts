import { Controller, Get, Query as QueryParam } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { INGESTION_STATUSES, type IngestionStatus } from '../ingestion.js';
import { ListIngestionsQuery } from './list-ingestions.query.js';

export class ListIngestionsParams {
  @ApiProperty({ description: 'The ingestions of this status', enum: INGESTION_STATUSES })
  @IsIn(INGESTION_STATUSES as unknown as string[], {
    message: `status is required, one of: ${INGESTION_STATUSES.join(', ')}`,
  })
  status!: IngestionStatus;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;

  @ApiPropertyOptional({ description: 'How many per page', minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 500' })
  @Min(1, { message: 'limit must be a whole number from 1 to 500' })
  @Max(500, { message: 'limit must be a whole number from 1 to 500' })
  limit?: number;
}

@ApiTags('snapshots')
@Controller('ingestions')
export class ListIngestionsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Ingestions of one status (e.g. failed), newest received first; nextCursor pages' })
  list(@QueryParam() params: ListIngestionsParams) {
    return this.queryBus.execute(new ListIngestionsQuery(params.status, params.limit ?? 50, params.cursor ?? null));
  }
}
