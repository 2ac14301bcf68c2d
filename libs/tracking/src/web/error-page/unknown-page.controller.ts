import { All, Controller, NotFoundException, Req, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { unroutedError } from '@app/infrastructure';
import { HtmlErrorFilter } from './html-error.filter.js';

/**
 * Any other request under /ui (a mistyped or outdated link, a form posted to a page) is answered as a
 * page, not the API's JSON: a 404 page with the site's header and search for a page that does not
 * exist, a 405 for a page that does but not with that method. Registered after every page.
 */
@ApiExcludeController()
@UseFilters(HtmlErrorFilter)
@Controller()
export class UnknownPageController {
  // /ui itself too, for a method its page does not take.
  @All('ui{/*path}')
  notFound(@Req() request: Request): never {
    throw unroutedError(
      request,
      new NotFoundException('There is no such page. Find a trial by its NCT ID, or start from the recent changes.'),
    );
  }
}
