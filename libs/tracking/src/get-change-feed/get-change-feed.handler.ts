import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Database, START } from '@app/infrastructure';
import { decodeCursor, encodeCursor } from '../shared/cursor.js';
import { type ChangeFeedPage, GetChangeFeedQuery } from './get-change-feed.query.js';

interface Row {
  transaction_id: string;
  global_position: string;
  event_id: string;
  nct_id: string;
  type: string;
  schema_version: number;
  stream_version: number;
  data: unknown;
  occurred_at: Date;
  recorded_at: Date;
}

const nonEmpty = (values: string[] | undefined): string[] | null => (values && values.length > 0 ? values : null);

/** The global change feed in commit order. The change-feed projection writes it in that order, so paging by cursor never skips. */
@QueryHandler(GetChangeFeedQuery)
export class GetChangeFeedHandler implements IQueryHandler<GetChangeFeedQuery> {
  constructor(private readonly database: Database) {}

  async execute({ filter }: GetChangeFeedQuery): Promise<ChangeFeedPage> {
    const after = filter.after ? decodeCursor(filter.after) : START;
    const rows = await this.database.query<Row>(
      `SELECT f.transaction_id::text AS transaction_id, f.global_position::text AS global_position, f.event_id, f.nct_id, f.type,
              f.schema_version, f.stream_version, e.data, f.occurred_at, f.recorded_at
       FROM change_feed f JOIN events e ON e.event_id = f.event_id
       WHERE (f.transaction_id, f.global_position) > ($1::xid8, $2::bigint)
         AND ($3::text[] IS NULL OR f.type = ANY($3))
         AND ($4::text[] IS NULL OR f.nct_id = ANY($4))
         AND ($6::text[] IS NULL AND $7::text[] IS NULL AND $8::text[] IS NULL OR EXISTS (
               SELECT 1 FROM trial_current_state t WHERE t.nct_id = f.nct_id
                 AND ($6::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest(t.conditions) c, unnest($6) q WHERE strpos(lower(c), lower(q)) > 0))
                 AND ($7::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest($7) q WHERE strpos(lower(t.lead_sponsor), lower(q)) > 0))
                 AND ($8::text[] IS NULL OR t.phases && $8)))
         AND ($9::uuid[] IS NULL OR EXISTS (
               SELECT 1 FROM watchlists w WHERE w.id = ANY($9) AND f.nct_id = ANY(w.nct_ids)
               UNION ALL
               SELECT 1 FROM watchlist_runs r JOIN ingestions i ON i.correlation_id = r.id
               WHERE r.watchlist_id = ANY($9) AND f.nct_id = ANY(i.nct_ids)))
       ORDER BY f.transaction_id, f.global_position
       LIMIT $5`,
      [
        after.transactionId,
        after.globalPosition,
        nonEmpty(filter.types),
        nonEmpty(filter.nctIds),
        filter.limit,
        nonEmpty(filter.conditions),
        nonEmpty(filter.sponsors),
        nonEmpty(filter.phases),
        nonEmpty(filter.watchlistIds),
      ],
    );
    const changes = rows.map((row) => ({
      cursor: encodeCursor({ transactionId: row.transaction_id, globalPosition: row.global_position }),
      eventId: row.event_id,
      nctId: row.nct_id,
      type: row.type,
      schemaVersion: row.schema_version,
      streamVersion: row.stream_version,
      globalPosition: row.global_position,
      data: row.data,
      occurredAt: row.occurred_at.toISOString(),
      recordedAt: row.recorded_at.toISOString(),
    }));
    return { changes, nextCursor: changes.length > 0 ? changes[changes.length - 1]!.cursor : (filter.after ?? null) };
  }
}
