import { Query } from '@nestjs/cqrs';
import type { MaterialityTier } from '@app/domain';

export interface RecentChangesFilter {
  /** Only events of these types; by default every registry change (learned facts only when named). */
  types?: string[];
  /** Changes to trials whose lead sponsor's name, as of the change, contained this (any letter case). */
  sponsor?: string;
  /** Changes to trials that had, as of the change, a condition containing this (any letter case). */
  condition?: string;
  /** Only these trials. */
  nctIds?: string[];
  /** Changes graded at least this. */
  minMateriality?: MaterialityTier;
  /** Only changes older than this change-feed cursor (the previous page's `olderCursor`). */
  before?: string;
  limit: number;
}

export interface RecentChange {
  cursor: string;
  eventId: string;
  nctId: string;
  briefTitle: string | null;
  type: string;
  schemaVersion: number;
  streamVersion: number;
  data: unknown;
  metadata: Record<string, unknown>;
  occurredAt: string;
  recordedAt: string;
  materiality: { tier: MaterialityTier; subtype: string; reason: string } | null;
}

export interface RecentChangesPage {
  changes: RecentChange[];
  /** Pass as `before` for the next, older page; null when there is none. */
  olderCursor: string | null;
}

/** The change feed newest first (by commit), with each trial's title and each event's data: recent-changes pages and feeds. */
export class GetRecentChangesQuery extends Query<RecentChangesPage> {
  constructor(readonly filter: RecentChangesFilter) {
    super();
  }
}
