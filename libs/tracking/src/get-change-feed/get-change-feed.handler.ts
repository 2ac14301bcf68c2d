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

/** The global change feed in commit order. The change-feed projection writes it in that order, so paging by cursor never skips. */
@QueryHandler(GetChangeFeedQuery)
export class GetChangeFeedHandler implements IQueryHandler<GetChangeFeedQuery> {
  constructor(private readonly database: Database) {}

  async execute({ filter }: GetChangeFeedQuery): Promise<ChangeFeedPage> {
    const after = filter.after ? decodeCursor(filter.after) : START;
    const rows = await this.database.query<Row>(
      `SELECT transaction_id::text AS transaction_id, global_position::text AS global_position, event_id, nct_id, type,
              schema_version, stream_version, data, occurred_at, recorded_at
       FROM change_feed
       WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
         AND ($3::text[] IS NULL OR type = ANY($3))
         AND ($4::text[] IS NULL OR nct_id = ANY($4))
       ORDER BY transaction_id, global_position
       LIMIT $5`,
      [
        after.transactionId,
        after.globalPosition,
        filter.types?.length ? filter.types : null,
        filter.nctIds?.length ? filter.nctIds : null,
        filter.limit,
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
