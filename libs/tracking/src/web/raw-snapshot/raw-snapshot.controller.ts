import { Controller, Get, Param, Query, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { GetSnapshotContentQuery, sendRawSnapshot, SnapshotContentParams } from '../../ingestion/index.js';
import { HtmlErrorFilter } from '../error-page/html-error.filter.js';

/**
 * The raw snapshots the trial page links to, under /ui so that the pages' key cookie (scoped to /ui)
 * reaches them when API keys are on; served as inertly as GET /snapshots/:sha256, and asked for the same way
 * (a download other than true or 1, false or 0 is a 400 page naming it).
 */
@ApiExcludeController()
@UseFilters(HtmlErrorFilter)
@Controller('ui/snapshots')
export class RawSnapshotController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':sha256')
  async show(
    @Param('sha256') sha256: string,
    @Query() params: SnapshotContentParams,
    @Res() response: Response,
  ): Promise<void> {
    const snapshot = await this.queryBus.execute(new GetSnapshotContentQuery(sha256));
    sendRawSnapshot(response, snapshot, params.download === true);
  }
}
