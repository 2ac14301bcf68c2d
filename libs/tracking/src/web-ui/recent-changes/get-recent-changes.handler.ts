import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Database } from '@app/infrastructure';
import { decodeCursor, encodeCursor } from '../../shared/cursor.js';
import { GetRecentChangesQuery, type RecentChangesPage } from './get-recent-changes.query.js';

interface Row {
  transaction_id: string;
  global_position: string;
  event_id: string;
  nct_id: string;
  brief_title: string | null;
  type: string;
  schema_version: number;
  stream_version: number;
  data: unknown;
  content_sha256: string | null;
  occurred_at: Date;
  recorded_at: Date;
}

const nonEmpty = (values: string[] | undefined): string[] | null => (values && values.length > 0 ? values : null);

/**
 * The change feed read backwards from its newest commit. Sponsor and condition match the trial's
 * current state as plain substrings (no LIKE wildcards from the user's text).
 */
@QueryHandler(GetRecentChangesQuery)
export class GetRecentChangesHandler implements IQueryHandler<GetRecentChangesQuery> {
  constructor(private readonly database: Database) {}

  async execute({ filter }: GetRecentChangesQuery): Promise<RecentChangesPage> {
    const before = filter.before ? decodeCursor(filter.before) : null;
    const rows = await this.database.query<Row>(
      `SELECT f.transaction_id::text AS transaction_id, f.global_position::text AS global_position, f.event_id,
              f.nct_id, t.brief_title, f.type, f.schema_version, f.stream_version, e.data,
              e.metadata->>'contentSha256' AS content_sha256, f.occurred_at, f.recorded_at
       FROM change_feed f
       LEFT JOIN trial_current_state t ON t.nct_id = f.nct_id
       LEFT JOIN events e ON e.event_id = f.event_id
       WHERE ($1::xid8 IS NULL OR (f.transaction_id, f.global_position) < ($1::xid8, $2::bigint))
         AND ($3::text[] IS NULL OR f.type = ANY($3))
         AND ($4::text IS NULL OR strpos(lower(t.lead_sponsor), lower($4)) > 0)
         AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM unnest(t.conditions) c WHERE strpos(lower(c), lower($5)) > 0))
       ORDER BY f.transaction_id DESC, f.global_position DESC
       LIMIT $6`,
      [
        before?.transactionId ?? null,
        before?.globalPosition ?? null,
        nonEmpty(filter.types),
        filter.sponsor ?? null,
        filter.condition ?? null,
        filter.limit + 1,
      ],
    );
    const page = rows.slice(0, filter.limit);
    const changes = page.map((row) => ({
      cursor: encodeCursor({ transactionId: row.transaction_id, globalPosition: row.global_position }),
      eventId: row.event_id,
      nctId: row.nct_id,
      briefTitle: row.brief_title,
      type: row.type,
      schemaVersion: row.schema_version,
      streamVersion: row.stream_version,
      data: row.data,
      metadata: row.content_sha256 ? { contentSha256: row.content_sha256 } : {},
      occurredAt: row.occurred_at.toISOString(),
      recordedAt: row.recorded_at.toISOString(),
    }));
    return { changes, olderCursor: rows.length > filter.limit ? changes[changes.length - 1]!.cursor : null };
  }
}
