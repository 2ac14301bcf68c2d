import { applyDecorators, Header } from '@nestjs/common';
import { HTML_PAGE_HEADERS } from './layout.js';

/** A handler that answers with one of the web pages (its headers; the body is the returned string). */
export const HtmlPage = (): MethodDecorator =>
  applyDecorators(...Object.entries(HTML_PAGE_HEADERS).map(([name, value]) => Header(name, value)));
