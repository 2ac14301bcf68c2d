import { Inject, Injectable } from '@nestjs/common';
import { CtgovHttp } from '@app/ctgov-client';
import { APP_CONFIG, type AppConfig } from '@app/infrastructure';

/**
 * Fetches registry pages for watchlists with the same manners as the API client: one rate limiter
 * per site, timeouts, retries with backoff on 429, 5xx and network errors.
 */
@Injectable()
export class RegistryPageFetcher {
  private readonly sites = new Map<string, CtgovHttp>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async fetch(pageUrl: string): Promise<{ content: string; contentType: string | null }> {
    const url = new URL(pageUrl);
    let http = this.sites.get(url.origin);
    if (!http) {
      http = new CtgovHttp({
        baseUrl: url.origin,
        requestsPerSecond: this.config.ctgov.requestsPerSecond,
        timeoutMs: this.config.ctgov.timeoutMs,
        maxRetries: this.config.ctgov.maxRetries,
        backoffBaseMs: this.config.ctgov.backoffBaseMs,
      });
      this.sites.set(url.origin, http);
    }
    const response = await http.get(url, { accept: 'text/html, text/plain;q=0.9' });
    if (response.status !== 200) throw http.rejected(response);
    return { content: response.body, contentType: response.headers.get('content-type') };
  }
}
