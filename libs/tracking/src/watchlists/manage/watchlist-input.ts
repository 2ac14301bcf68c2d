import type { Schedule } from '../watchlist.js';

export interface WatchlistInput {
  name: string;
  nctIds?: string[];
  search?: Record<string, string> | null;
  pageUrls?: string[];
  schedule?: Partial<Schedule>;
  backfillHistory?: boolean;
}
