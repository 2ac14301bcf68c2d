import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EventStore, START } from '@app/infrastructure';
import { CursorAheadError, decodeCursor } from '../../shared/cursor.js';
import { CheckChangeFeedCursorQuery } from './check-change-feed-cursor.query.js';

/**
 * Every cursor the feed gives out is an event's place (or the start), and events are never deleted: a
 * cursor with no event at or after it comes from elsewhere.
 */
export const assertCursorInFeed = async (
  eventStore: EventStore,
  cursor: string,
  parameter: 'after' | 'Last-Event-ID',
): Promise<void> => {
  const at = decodeCursor(cursor);
  const atStart =
    BigInt(at.transactionId) === BigInt(START.transactionId) &&
    BigInt(at.globalPosition) === BigInt(START.globalPosition);
  if (atStart) return;
  if (!(await eventStore.holdsAtOrAfter(at))) throw new CursorAheadError(cursor, parameter);
};

@QueryHandler(CheckChangeFeedCursorQuery)
export class CheckChangeFeedCursorHandler implements IQueryHandler<CheckChangeFeedCursorQuery> {
  constructor(private readonly eventStore: EventStore) {}

  execute({ cursor, parameter }: CheckChangeFeedCursorQuery): Promise<void> {
    return assertCursorInFeed(this.eventStore, cursor, parameter);
  }
}
