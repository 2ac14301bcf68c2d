import { Query } from '@nestjs/cqrs';
import type { Ingestion, IngestionStatus } from '../ingestion.js';

export interface IngestionPage {
  ingestions: Ingestion[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

/** Ingestions of one status, newest received first, keyset-paged by an opaque cursor. */
export class ListIngestionsQuery extends Query<IngestionPage> {
  constructor(
    readonly status: IngestionStatus,
    readonly limit: number,
    readonly cursor: string | null = null,
  ) {
    super();
  }
}

/** How many ingestions have this status (the failed ones, for /metrics). */
export class CountIngestionsQuery extends Query<number> {
  constructor(readonly status: IngestionStatus) {
    super();
  }
}
