import { HttpException, HttpStatus } from '@nestjs/common';
import { isDomainError } from '@app/domain';
import { statusOf } from '@app/infrastructure';
import { html } from '../html.js';
import { page } from '../layout.js';

export interface ErrorPageContent {
  status: number;
  title: string;
  message: string;
  /** The stable error code, when there is one. */
  code: string | null;
  /** Put back into the search box: the NCT ID that was asked for. */
  searchValue?: string;
}

const TITLES: Record<string, string> = {
  'trial.not-found': 'Trial not found',
  'trial.invalid-nct-id': 'That is not an NCT ID',
  'trial.version-not-found': 'Version not found',
  'watchlist.not-found': 'Watchlist not found',
};

const TITLE_BY_STATUS: Record<number, string> = {
  400: 'Bad request',
  401: 'API key required',
  403: 'Not allowed',
  404: 'Page not found',
  405: 'Method not allowed',
  409: 'Conflict',
  429: 'Too many requests',
  503: 'Service unavailable',
};

const messageOf = (exception: HttpException): string => {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
};

/** What an error page says: domain errors by their kind and code, HTTP errors by status, anything else a 500. */
export const errorContentOf = (exception: unknown): ErrorPageContent => {
  if (isDomainError(exception)) {
    const status = statusOf(exception);
    const asked = exception.details['nctId'] ?? exception.details['value'];
    return {
      status,
      title: TITLES[exception.code] ?? TITLE_BY_STATUS[status] ?? 'Error',
      message: exception.message,
      code: exception.code,
      searchValue: typeof asked === 'string' ? asked : undefined,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return { status, title: TITLE_BY_STATUS[status] ?? 'Error', message: messageOf(exception), code: null };
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    title: 'Something went wrong',
    message: 'An unexpected error occurred; it has been logged.',
    code: null,
  };
};

export const errorPage = (content: ErrorPageContent): string =>
  page({
    title: content.title,
    searchValue: content.searchValue,
    main: html`<div class="error-page">
      <p class="error-code">Error ${content.status}${content.code ? html` · ${content.code}` : ''}</p>
      <h1>${content.title}</h1>
      <p>${content.message}</p>
      ${
        content.code === 'trial.not-found'
          ? html`<p>
              Check the NCT ID, or search for another one above. A trial appears here once a snapshot of it has been
              ingested.
            </p>`
          : ''
      }
      <p><a href="/ui">See the recent changes across all trials</a></p>
    </div>`,
  });
