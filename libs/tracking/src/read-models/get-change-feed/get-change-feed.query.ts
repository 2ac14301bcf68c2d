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
}

export interface ChangeFeedPage {
  changes: ChangeFeedEntry[];
  /** The cursor to ask with next; equal to `after` when nothing new has been projected. */
  nextCursor: string | null;
}

export class GetChangeFeedQuery extends Query<ChangeFeedPage> {
  constructor(readonly filter: ChangeFeedFilter) {
    super();
  }
}
