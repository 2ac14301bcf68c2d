import { Inject, Injectable } from '@nestjs/common';
import { CtgovHttp, CtgovRequestError } from '@app/ctgov-client';
import { DomainError } from '@app/domain';
import {
  APP_CONFIG,
  type AppConfig,
  OutboundHttp,
  OutboundPolicy,
  type OutboundPurpose,
  redactPageUrl,
} from '@app/infrastructure';
import { RegistryRateLimits } from './registry-rate-limits.js';

/** Watchlist page URLs under the outbound policy; refusals are `watchlist.unsafe-url`. */
export const PAGE_URLS: OutboundPurpose = { label: 'Page URLs', errorCode: 'watchlist.unsafe-url' };

/** Redirects followed, each hop checked by the outbound policy before it is requested. */
const MAX_REDIRECTS = 5;

export class RegistryPageFetchError extends DomainError {
  readonly code = 'watchlist.page-fetch-failed';
  readonly kind = 'unavailable' as const;
}

export interface FetchedPage {
  /** Where the page was finally read, after redirects. */
  url: string;
  content: string;
  contentType: string | null;
}

/**
 * Fetches registry pages for watchlists under the outbound policy (public https hosts unless
 * allow-listed, checked again at connect time; a byte and a time cap), with the same manners as the
 * API client: one rate limit per site for the whole installation (pages on ClinicalTrials.gov share the
 * API's, see RegistryRateLimits), retries with backoff on 429, 5xx and network errors. Errors
 * never quote what the server answered: a URL that is not a registry page reveals nothing of itself.
 */
@Injectable()
export class RegistryPageFetcher {
  private readonly sites = new Map<string, CtgovHttp>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly policy: OutboundPolicy,
    private readonly outbound: OutboundHttp,
    private readonly limits: RegistryRateLimits,
  ) {}

  async fetch(pageUrl: string): Promise<FetchedPage> {
    let url = await this.policy.check(pageUrl, PAGE_URLS);
    for (let hop = 0; ; hop += 1) {
      const response = await this.get(url);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        if (hop === MAX_REDIRECTS) {
          throw new RegistryPageFetchError(`${redactPageUrl(pageUrl)}: more than ${MAX_REDIRECTS} redirects`);
        }
        url = await this.policy.check(new URL(location, url).href, PAGE_URLS);
        continue;
      }
      if (response.status !== 200) {
        throw new RegistryPageFetchError(`${redactPageUrl(url.href)} answered HTTP ${response.status}`, {
          status: response.status,
        });
      }
      return { url: url.href, content: response.body, contentType: response.headers.get('content-type') };
    }
  }

  private async get(url: URL) {
    try {
      return await this.siteOf(url).get(url, { accept: 'text/html, text/plain;q=0.9' });
    } catch (error) {
      if (error instanceof CtgovRequestError) {
        const { status, attempts, cause } = error.details as { status: number | null; attempts: number; cause: string };
        throw new RegistryPageFetchError(
          `${redactPageUrl(url.href)} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${status === null ? (cause ?? 'no response') : `HTTP ${status}`}`,
          { status, attempts },
        );
      }
      if (error instanceof Error && !(error instanceof DomainError)) {
        throw new RegistryPageFetchError(`${redactPageUrl(url.href)}: ${error.message}`);
      }
      throw error;
    }
  }

  private siteOf(url: URL): CtgovHttp {
    let http = this.sites.get(url.origin);
    if (!http) {
      http = new CtgovHttp({
        baseUrl: url.origin,
        requestsPerSecond: this.config.ctgov.requestsPerSecond,
        turns: this.limits.turnsFor(this.limits.siteOf(url)),
        timeoutMs: this.config.ctgov.timeoutMs,
        maxRetries: this.config.ctgov.maxRetries,
        backoffBaseMs: this.config.ctgov.backoffBaseMs,
        userAgent: 'trialwatch-pages',
        quoteErrorBodies: false,
        send: async (target, headers, timeoutMs) => {
          const response = await this.outbound.request(target, {
            headers,
            timeoutMs,
            maxResponseBytes: this.config.maxSnapshotBytes,
          });
          return { status: response.status, headers: response.headers, body: response.body.toString('utf8') };
        },
      });
      this.sites.set(url.origin, http);
    }
    return http;
  }
}
