import { Controller, Get, Param, Query as QueryParam, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import type { Response } from 'express';
import { queryBoolean } from '../../shared/query-params.js';
import { GetSnapshotContentQuery } from './get-snapshot-content.query.js';
import { sendRawSnapshot } from './raw-snapshot-response.js';

export class SnapshotContentParams {
  @ApiPropertyOptional({ description: 'true: as an attachment, whatever the content' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean({ message: 'download must be true or false (or 1 or 0)' })
  download?: boolean;
}

@ApiTags('snapshots')
@Controller('snapshots')
export class GetSnapshotContentController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':sha256')
  @ApiOperation({
    summary: 'The raw content of a snapshot exactly as received (accepted or rejected), by its SHA-256',
    description:
      'Served inert: JSON as application/json, other text as text/plain, binary as an attachment, with nosniff and a ' +
      'sandboxing Content-Security-Policy, so that a stored page never runs in a browser. download=true: as an attachment.',
  })
  async content(
    @Param('sha256') sha256: string,
    @QueryParam() params: SnapshotContentParams,
    @Res() response: Response,
  ): Promise<void> {
    const snapshot = await this.queryBus.execute(new GetSnapshotContentQuery(sha256));
    sendRawSnapshot(response, snapshot, params.download === true);
  }
}
