import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { MethodNotAllowedError } from '@app/infrastructure';
import { HTML_PAGE_HEADERS } from '../layout.js';
import { errorContentOf, errorPage } from './error-page.js';

/**
 * Errors of the web pages as HTML pages with the right status (404 for an unknown trial, 400 for a
 * malformed NCT ID or filter), instead of the JSON the API's global filter writes.
 */
@Catch()
export class HtmlErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HtmlErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) {
      // Too late for a status: the connection is broken off, so the client sees the answer incomplete.
      this.logger.error(
        `failed after the answer began: ${exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)}`,
      );
      response.destroy();
      return;
    }
    const content = errorContentOf(exception);
    if (content.status >= 500) {
      const cause = exception instanceof Error && exception.cause instanceof Error ? exception.cause : null;
      this.logger.error(
        (exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)) +
          (cause ? `\nCaused by: ${cause.stack ?? cause.message}` : ''),
      );
    }
    if (exception instanceof MethodNotAllowedError) response.setHeader('allow', exception.allowed.join(', '));
    response.status(content.status).set(HTML_PAGE_HEADERS).send(errorPage(content));
  }
}
