import { DomainError } from '@app/domain';

export interface CtgovRequestFailure {
  url: string;
  /** The last HTTP status received, or null when the last attempt got no response at all. */
  status: number | null;
  attempts: number;
  /** The last network error, or what the server said with the last status; null when it said nothing. */
  cause: string | null;
  /** False for answers that are final by nature (4xx other than 429): they were not retried. */
  retryable: boolean;
}

/** ClinicalTrials.gov could not be reached or kept failing after every retry. */
export class CtgovRequestError extends DomainError {
  readonly code = 'ctgov.request-failed';
  readonly kind = 'unavailable' as const;

  constructor(failure: CtgovRequestFailure) {
    const { url, status, attempts, cause, retryable } = failure;
    const outcome = status === null ? (cause ?? 'no response') : `HTTP ${status}${cause ? ` (${cause})` : ''}`;
    const attemptCount = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
    super(`GET ${url} failed after ${attemptCount}${retryable ? '' : ', not retried'}: ${outcome}`, {
      url,
      status,
      attempts,
      cause,
    });
  }
}

/** ClinicalTrials.gov answered, but with something that is not what API v2 documents. */
export class CtgovUnexpectedResponseError extends DomainError {
  readonly code = 'ctgov.unexpected-response';
  readonly kind = 'unavailable' as const;

  constructor(url: string, problem: string) {
    super(`GET ${url} returned an unexpected response: ${problem}`, { url, problem });
  }
}

/** ClinicalTrials.gov's pages for a request held fewer studies than the total it announced: the results were cut short. */
export class CtgovIncompleteResultsError extends DomainError {
  readonly code = 'ctgov.incomplete-results';
  readonly kind = 'unavailable' as const;

  constructor(url: string, announced: number, received: number) {
    super(
      `GET ${url} announced ${announced} studies (totalCount), but its pages held ${received}: ${announced - received} missing`,
      { url, announced, received },
    );
  }
}

export class CtgovStudyNotFoundError extends DomainError {
  readonly code = 'ctgov.study-not-found';
  readonly kind = 'not-found' as const;

  constructor(nctId: string, redirectedTo: string | null = null) {
    super(
      redirectedTo
        ? `ClinicalTrials.gov redirects ${nctId} to ${redirectedTo}, which it does not know`
        : `ClinicalTrials.gov has no study ${nctId}`,
      { nctId, redirectedTo },
    );
  }
}

/** The undocumented history API is gone or has changed; callers should fall back to snapshots. */
export class CtgovHistoryUnavailableError extends DomainError {
  readonly code = 'ctgov.history-unavailable';
  readonly kind = 'unavailable' as const;

  constructor(url: string, problem: string) {
    super(`The undocumented history endpoint GET ${url} ${problem}`, { url, problem });
  }
}

/** A study query the client refuses to send, because the API would misread it or answer with the wrong studies. */
export class CtgovInvalidQueryError extends DomainError {
  readonly code = 'ctgov.invalid-query';
  readonly kind = 'invalid' as const;
}
