import { Injectable } from '@nestjs/common';
import type { Sql, StoredEvent } from '@app/infrastructure';
import { nctIdOfStream, type Projection, type TableNames } from './projection.js';

/**
 * Every event of every trial in commit order, for the global change feed, its live stream and feeds.
 * It indexes events rather than copying them: readers join the event store for the data.
 */
@Injectable()
export class ChangeFeedProjection implements Projection<'feed'> {
  readonly name = 'change-feed';
  readonly tables = { feed: 'change_feed' };
  readonly needsPayload = false;

  async apply(sql: Sql, events: readonly StoredEvent[], tables: TableNames<'feed'>): Promise<void> {
    if (events.length === 0) return;
    await sql.execute(
      `INSERT INTO ${tables.feed} (transaction_id, global_position, event_id, nct_id, type, schema_version, stream_version, occurred_at, recorded_at)
       SELECT * FROM unnest($1::xid8[], $2::bigint[], $3::uuid[], $4::text[], $5::text[], $6::int[], $7::int[], $8::timestamptz[], $9::timestamptz[])
       ON CONFLICT DO NOTHING`,
      [
        events.map((e) => e.transactionId),
        events.map((e) => e.globalPosition),
        events.map((e) => e.eventId),
        events.map((e) => nctIdOfStream(e.streamId)),
        events.map((e) => e.type),
        events.map((e) => e.schemaVersion),
        events.map((e) => e.streamVersion),
        events.map((e) => e.occurredAt),
        events.map((e) => e.recordedAt),
      ],
    );
  }
}
