import { QueryBus, type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ANNOUNCED_EVENT_TYPES } from '@app/domain';
import { EventStore, START } from '@app/infrastructure';
import { GetWatchlistTrialsQuery } from '../../watchlists/index.js';
import { decodeCursor, encodeCursor } from '../../shared/cursor.js';
import { ChangeFeedRepository } from '../repositories/change-feed.repository.js';
import { type ChangeFeedPage, GetChangeFeedQuery } from './get-change-feed.query.js';
import { assertWatchlistsExist } from './watchlists-asked.js';
import { assertCursorInFeed } from '../get-change-feed-end/check-change-feed-cursor.handler.js';

const nonEmpty = (values: string[] | undefined): string[] | null => (values && values.length > 0 ? values : null);

/**
 * The global change feed in commit order. The change-feed projection writes it in that order (it reads
 * the store below the oldest running transaction: event-store.int-spec.ts, "never lets a reader skip an
 * event whose transaction commits late"), so paging by cursor does not skip.
 */
@QueryHandler(GetChangeFeedQuery)
export class GetChangeFeedHandler implements IQueryHandler<GetChangeFeedQuery> {
  constructor(
    private readonly feed: ChangeFeedRepository,
    private readonly eventStore: EventStore,
    private readonly queryBus: QueryBus,
  ) {}

  async execute({ filter }: GetChangeFeedQuery): Promise<ChangeFeedPage> {
    // A watchlist's trials are read apart from the feed: only the entries there were before they were
    // read, so that a trial brought in meanwhile (recorded before its changes are stored) is not passed
    // over as unwatched (watchlist-filter.int-spec.ts).
    const upTo = nonEmpty(filter.watchlistIds) ? { upTo: await this.feed.end() } : {};
    const nctIds = await this.trialsAsked(filter.nctIds, filter.watchlistIds);
    const { rows, scannedTo, reachedEnd } = await this.feed.after(filter.after ? decodeCursor(filter.after) : START, {
      // By default the feed holds registry changes; learned facts come only when their type is asked for.
      types: nonEmpty(filter.types) ?? [...ANNOUNCED_EVENT_TYPES],
      nctIds,
      conditions: nonEmpty(filter.conditions),
      sponsors: nonEmpty(filter.sponsors),
      phases: nonEmpty(filter.phases),
      minMateriality: filter.minMateriality ?? null,
      limit: filter.limit,
      scanLimit: filter.scanLimit,
      ...upTo,
    });
    // Nothing after the cursor: it may be the end of the feed, or past it (another installation, a reset
    // database), where the feed would stay silent forever; that is said instead.
    if (filter.after && !scannedTo) await assertCursorInFeed(this.eventStore, filter.after, 'after');
    const events = await this.eventStore.readByIds(rows.map((row) => row.event_id));
    const changes = rows.map((row) => ({
      cursor: encodeCursor({ transactionId: row.transaction_id, globalPosition: row.global_position }),
      eventId: row.event_id,
      nctId: row.nct_id,
      type: row.type,
      schemaVersion: row.schema_version,
      streamVersion: row.stream_version,
      globalPosition: row.global_position,
      data: events.get(row.event_id)?.data ?? null,
      occurredAt: row.occurred_at.toISOString(),
      recordedAt: row.recorded_at.toISOString(),
      materiality: row.materiality_detail,
    }));
    // A full page ends at its last change (more may match right after it); a short one looked at every
    // entry up to where it stopped, so the next read starts there: entries that did not match are not
    // read again.
    const full = changes.length === filter.limit;
    const lastChange = changes[changes.length - 1]?.cursor ?? null;
    const scanned = scannedTo ? encodeCursor(scannedTo) : null;
    const nextCursor = full ? lastChange : (scanned ?? filter.after ?? null);
    return { changes, nextCursor, caughtUp: reachedEnd && (!full || lastChange === scanned) };
  }

  /** The trials named, within those the named watchlists watch; null for no restriction. */
  private async trialsAsked(nctIds?: string[], watchlistIds?: string[]): Promise<string[] | null> {
    const named = nonEmpty(nctIds);
    if (!nonEmpty(watchlistIds)) return named;
    await assertWatchlistsExist(this.queryBus, watchlistIds);
    const members = await this.queryBus.execute(new GetWatchlistTrialsQuery(watchlistIds!, named ?? undefined));
    const watched = new Set([...members.values()].flatMap((trials) => [...trials]));
    return named ? named.filter((nctId) => watched.has(nctId)) : [...watched];
  }
}
