import { OutboundPolicy } from '@app/infrastructure';
import { PAGE_URLS } from '../sync/registry-page-fetcher.js';
import type { WatchlistDefinition } from '../watchlist.js';

/** Page URLs pass the outbound policy when they are saved, and again before every fetch. */
export const checkPageUrls = async (
  policy: OutboundPolicy,
  definition: WatchlistDefinition,
): Promise<WatchlistDefinition> => ({
  ...definition,
  pageUrls: await Promise.all(definition.pageUrls.map(async (url) => (await policy.check(url, PAGE_URLS)).href)),
});
