import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DomainError, isInstant } from '@app/domain';
import { SnapshotStore } from '../snapshot-store.js';
import { CountIngestionsQuery, type IngestionPage, ListIngestionsQuery } from './list-ingestions.query.js';

export class InvalidIngestionCursorError extends DomainError {
  readonly code = 'ingestion.invalid-cursor';
  readonly kind = 'invalid' as const;
  constructor(cursor: string) {
    super(`"${cursor}" is not an ingestion cursor (pass the nextCursor of a previous page)`, { cursor });
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The last ingestion of a page: when it was received and its id, opaque to clients. */
export const encodeIngestionCursor = (receivedAt: string, id: string): string =>
  Buffer.from(`${receivedAt}|${id}`).toString('base64url');

export const decodeIngestionCursor = (cursor: string): { receivedAt: string; id: string } => {
  const [receivedAt = '', id = '', ...rest] = Buffer.from(cursor, 'base64url').toString().split('|');
  // A time both JavaScript and PostgreSQL read: one only JavaScript reads (`2024`) would fail in the query.
  if (rest.length > 0 || !UUID.test(id) || !isInstant(receivedAt)) throw new InvalidIngestionCursorError(cursor);
  return { receivedAt, id };
};

@QueryHandler(ListIngestionsQuery)
export class ListIngestionsHandler implements IQueryHandler<ListIngestionsQuery> {
  constructor(private readonly store: SnapshotStore) {}

  async execute({ status, limit, cursor }: ListIngestionsQuery): Promise<IngestionPage> {
    const rows = await this.store.list(status, cursor ? decodeIngestionCursor(cursor) : null, limit);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      ingestions: page,
      nextCursor: rows.length > limit && last ? encodeIngestionCursor(last.receivedAt, last.id) : null,
    };
  }
}

@QueryHandler(CountIngestionsQuery)
export class CountIngestionsHandler implements IQueryHandler<CountIngestionsQuery> {
  constructor(private readonly store: SnapshotStore) {}

  execute({ status }: CountIngestionsQuery): Promise<number> {
    return this.store.countByStatus(status);
  }
}
