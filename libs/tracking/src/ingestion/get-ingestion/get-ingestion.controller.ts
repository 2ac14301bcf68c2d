import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { GetIngestionQuery } from './get-ingestion.query.js';
import { UuidPipe } from '../../shared/uuid.pipe.js';

@ApiTags('snapshots')
@Controller('ingestions')
export class GetIngestionController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  @ApiOperation({
    summary:
      'The outcome of an ingestion: queued (with attempts), appended or learned (with events), unchanged, stale, ' +
      'rejected or failed (with the error)',
  })
  get(@Param('id', UuidPipe) id: string) {
    return this.queryBus.execute(new GetIngestionQuery(id));
  }
}
