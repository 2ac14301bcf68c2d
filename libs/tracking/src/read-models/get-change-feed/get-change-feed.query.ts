import { Query } from '@nestjs/cqrs';
import type { MaterialityTier } from '@app/domain';

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
  /** How much the change matters (materiality); null for entries projected before grading existed. */
  materiality: { tier: MaterialityTier; subtype: string; reason: string } | null;
}

export interface ChangeFeedFilter {
  after?: string;
  /** Only events of these types; by default every registry change (learned facts only when named). */
  types?: string[];
  nctIds?: string[];
  /** Changes to trials that had, as of the change, a condition containing one of these (any letter case). */
  conditions?: string[];
  /** Changes to trials whose lead sponsor's name, as of the change, contained one of these (any letter case). */
  sponsors?: string[];
  /** Changes to trials that had, as of the change, one of these phases. */
  phases?: string[];
  /** Changes to trials one of these watchlists watches now. */
  watchlistIds?: string[];
  /** Changes graded at least this (`noise` < `low` < `medium` < `high`). */
  minMateriality?: MaterialityTier;
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
