import { Controller, Get, Query, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { HtmlErrorFilter } from '../error-page/html-error.filter.js';
import { HtmlPage } from '../html-page.decorator.js';
import { GetRecentChangesQuery } from '../../read-models/index.js';
import { RecentChangesParams } from './recent-changes.params.js';
import { recentChangesPage } from './recent-changes.view.js';

const PAGE_SIZE = 50;

@ApiExcludeController()
@UseFilters(HtmlErrorFilter)
@Controller('ui')
export class RecentChangesController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @HtmlPage()
  async list(@Query() params: RecentChangesParams): Promise<string> {
    const result = await this.queryBus.execute(
      new GetRecentChangesQuery({
        types: params.type ? [params.type] : undefined,
        sponsor: params.sponsor,
        condition: params.condition,
        minMateriality: params.minMateriality,
        before: params.before,
        limit: PAGE_SIZE,
      }),
    );
    return recentChangesPage(result, params);
  }
}
