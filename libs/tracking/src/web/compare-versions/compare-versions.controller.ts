import { Controller, Get, Param, Query, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { GetTrialEventsQuery, GetTrialTitlesQuery } from '../../read-models/index.js';
import { NctIdPipe } from '../../shared/nct-id.pipe.js';
import { HtmlErrorFilter } from '../error-page/html-error.filter.js';
import { HtmlPage } from '../html-page.decorator.js';
import { toRecordedChanges } from '../recorded-change.js';
import { CompareVersionsParams } from './compare-versions.params.js';
import { compareVersionsPage } from './compare-versions.view.js';
import { compareRecords, recordVersionsOf } from './record-versions.js';

@ApiExcludeController()
@UseFilters(HtmlErrorFilter)
@Controller('ui/trials')
export class CompareVersionsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':nctId/compare')
  @HtmlPage()
  async compare(
    @Param('nctId', NctIdPipe) nctId: string,
    @Query() { from, to }: CompareVersionsParams,
  ): Promise<string> {
    const [{ events }, titles] = await Promise.all([
      this.queryBus.execute(new GetTrialEventsQuery(nctId)),
      this.queryBus.execute(new GetTrialTitlesQuery([nctId])),
    ]);
    const changes = toRecordedChanges(events);
    return compareVersionsPage({
      nctId,
      briefTitle: titles.get(nctId) ?? null,
      records: recordVersionsOf(changes),
      comparison: compareRecords(nctId, changes, from, to),
    });
  }
}
