import type { CsvColumn } from '../../shared/csv-export.js';
import { GetChangeFeedQuery, type ChangeFeedEntry, type ChangeFeedFilter } from './get-change-feed.query.js';

/** The change feed's CSV columns: one row per change, its data as JSON. */
export const CHANGE_COLUMNS: CsvColumn<ChangeFeedEntry>[] = [
  { header: 'cursor', value: (row) => row.cursor },
  { header: 'occurred_at', value: (row) => row.occurredAt },
  { header: 'recorded_at', value: (row) => row.recordedAt },
  { header: 'nct_id', value: (row) => row.nctId },
  { header: 'type', value: (row) => row.type },
  { header: 'materiality', value: (row) => row.materiality?.tier },
  { header: 'subtype', value: (row) => row.materiality?.subtype },
  { header: 'reason', value: (row) => row.materiality?.reason },
  { header: 'event_id', value: (row) => row.eventId },
  { header: 'data', value: (row) => JSON.stringify(row.data) },
];

/**
 * Every change matching `filter` from its `after` to the end of the feed as it is while being read,
 * a page at a time.
 */
export async function* changePages(
  execute: (
    query: GetChangeFeedQuery,
  ) => Promise<{ changes: ChangeFeedEntry[]; nextCursor: string | null; caughtUp: boolean }>,
  filter: Omit<ChangeFeedFilter, 'limit'>,
): AsyncGenerator<readonly ChangeFeedEntry[]> {
  let after = filter.after;
  for (;;) {
    const page = await execute(new GetChangeFeedQuery({ ...filter, after, limit: 1000 }));
    yield page.changes;
    if (page.caughtUp || page.nextCursor === null || page.nextCursor === after) return;
    after = page.nextCursor;
  }
}
