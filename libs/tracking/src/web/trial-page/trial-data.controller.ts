import { Controller, Get, Header, Inject, Param, Query, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@app/infrastructure';
import { trialChangesFeed, TrialFeedParams } from '../../notifications/index.js';
import { GetTrialEventsQuery } from '../../read-models/index.js';
import { NctIdPipe } from '../../shared/nct-id.pipe.js';
import { HtmlErrorFilter } from '../error-page/html-error.filter.js';

/**
 * The trial's events and Atom feed the trial page links to, as GET /trials/:nctId/events and
 * /trials/:nctId/changes.atom serve them, under /ui so that the pages' key cookie (scoped to /ui)
 * reaches them when API keys are on.
 */
@ApiExcludeController()
@UseFilters(HtmlErrorFilter)
@Controller('ui/trials')
export class TrialDataController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get(':nctId/events')
  events(@Param('nctId', NctIdPipe) nctId: string) {
    return this.queryBus.execute(new GetTrialEventsQuery(nctId));
  }

  @Get(':nctId/changes.atom')
  @Header('content-type', 'application/atom+xml; charset=utf-8')
  feed(@Param('nctId', NctIdPipe) nctId: string, @Query() params: TrialFeedParams): Promise<string> {
    return trialChangesFeed(this.queryBus, nctId, params, this.config.publicBaseUrl);
  }
}
