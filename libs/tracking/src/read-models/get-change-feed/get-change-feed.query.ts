import { Query } from '@nestjs/cqrs';

export interface ChangeFeedEntry {
  /** Pass as `after` (or `Last-Event-ID`) to continue after this entry. */
  cursor: string;
  eventId: string;
  nctId: string;
  type: string;
  schemaVersion: number;
  streamVersion: number;
  globalPosition: string;
  data: unknown;
  occurredAt: string;
  recordedAt: string;
}

export interface ChangeFeedFilter {
  after?: string;
  /** Only events of these types; by default every registry change (learned facts only when named). */
  types?: string[];
  nctIds?: string[];
  /** Trials with a condition containing one of these (their current state). */
  conditions?: string[];
  /** Trials whose lead sponsor's name contains one of these. */
  sponsors?: string[];
  /** Trials with one of these phases. */
  phases?: string[];
  /** Trials watched by one of these watchlists. */
  watchlistIds?: string[];
  limit: number;
  /** How many entries one read looks at, matching or not (default 5,000; never fewer than `limit`). */
  scanLimit?: number;
}

export interface ChangeFeedPage {
  changes: ChangeFeedEntry[];
  /**
   * The cursor to ask with next: how far this read looked ("scanned up to"), past entries that did
   * not match, so a filter that rarely matches never reads the same entries twice. Equal to `after`
   * when nothing new has been projected; null only when the feed is empty and no `after` was given.
   */
  nextCursor: string | null;
  /**
   * True when the read reached the end of the feed as projected now. A page may hold fewer than
   * `limit` changes, even none, while more follow (a filter that matched nothing among the entries
   * looked at); keep asking with `nextCursor` until this is true.
   */
  caughtUp: boolean;
}

export class GetChangeFeedQuery extends Query<ChangeFeedPage> {
  constructor(readonly filter: ChangeFeedFilter) {
    super();
  }
}
