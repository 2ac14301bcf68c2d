import { Controller, Get, NotFoundException, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HtmlErrorFilter } from './html-error.filter.js';

/**
 * Any other path under /ui (a mistyped or outdated link) is a page that does not exist: an HTML 404
 * page with the site's header and search, not the API's JSON. Registered after every page.
 */
@ApiExcludeController()
@UseFilters(HtmlErrorFilter)
@Controller('ui')
export class UnknownPageController {
  @Get('*path')
  notFound(): never {
    throw new NotFoundException('There is no such page. Find a trial by its NCT ID, or start from the recent changes.');
  }
}
