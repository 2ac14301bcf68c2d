import { Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RetryIngestionCommand } from './retry-ingestion.command.js';
import { UuidPipe } from '../../shared/uuid.pipe.js';

@ApiTags('snapshots')
@Controller('ingestions')
export class RetryIngestionController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/retry')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Queue a failed ingestion again, its attempts reset (409 ingestion.not-failed for any other status)',
  })
  retry(@Param('id', UuidPipe) id: string) {
    return this.commandBus.execute(new RetryIngestionCommand(id));
  }
}
