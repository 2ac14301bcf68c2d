import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ANNOUNCED_EVENT_TYPES } from '@app/domain';
import { EventStore } from '@app/infrastructure';
import { decodeCursor, encodeCursor } from '../../shared/cursor.js';
import { ChangeFeedRepository } from '../repositories/change-feed.repository.js';
import { GetRecentChangesQuery, type RecentChangesPage } from './get-recent-changes.query.js';

const nonEmpty = (values: string[] | undefined): string[] | null => (values && values.length > 0 ? values : null);

/** The change feed read backwards from its newest commit, each entry with its event's data. */
@QueryHandler(GetRecentChangesQuery)
export class GetRecentChangesHandler implements IQueryHandler<GetRecentChangesQuery> {
  constructor(
    private readonly feed: ChangeFeedRepository,
    private readonly eventStore: EventStore,
  ) {}

  async execute({ filter }: GetRecentChangesQuery): Promise<RecentChangesPage> {
    const rows = await this.feed.newestFirst({
      before: filter.before ? decodeCursor(filter.before) : null,
      types: nonEmpty(filter.types) ?? [...ANNOUNCED_EVENT_TYPES],
      nctIds: nonEmpty(filter.nctIds),
      sponsor: filter.sponsor ?? null,
      condition: filter.condition ?? null,
      minMateriality: filter.minMateriality ?? null,
      limit: filter.limit + 1,
    });
    const page = rows.slice(0, filter.limit);
    const events = await this.eventStore.readByIds(page.map((row) => row.event_id));
    const changes = page.map((row) => {
      const event = events.get(row.event_id);
      const contentSha256 = event?.metadata['contentSha256'];
      return {
        cursor: encodeCursor({ transactionId: row.transaction_id, globalPosition: row.global_position }),
        eventId: row.event_id,
        nctId: row.nct_id,
        briefTitle: row.brief_title ?? null,
        type: row.type,
        schemaVersion: row.schema_version,
        streamVersion: row.stream_version,
        data: event?.data ?? null,
        metadata: typeof contentSha256 === 'string' ? { contentSha256 } : {},
        occurredAt: row.occurred_at.toISOString(),
        recordedAt: row.recorded_at.toISOString(),
        materiality: row.materiality_detail,
      };
    });
    return { changes, olderCursor: rows.length > filter.limit ? changes[changes.length - 1]!.cursor : null };
  }
}
