import { Controller, Get, Param, Query as QueryParam, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { GetSnapshotContentQuery } from './get-snapshot-content.query.js';
import { sendRawSnapshot } from './raw-snapshot-response.js';
import { SnapshotContentParams } from './snapshot-content.params.js';

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
