import { DomainError } from '@app/domain';
import type { Checkpoint } from '@app/infrastructure';

export class InvalidCursorError extends DomainError {
  readonly code = 'request.invalid-cursor';
  readonly kind = 'invalid' as const;
}

/**
 * A cursor past the end of the change feed: from another installation, or from this one before its
 * database was restored or reset. Read from there, the feed would stay silent however much it grows.
 */
export class CursorAheadError extends DomainError {
  readonly code = 'request.cursor-ahead';
  readonly kind = 'conflict' as const;
  constructor(cursor: string, parameter: 'after' | 'Last-Event-ID') {
    super(
      `${parameter} "${cursor}" lies past the end of the change feed: it comes from another installation, or from ` +
        `this one before its database was restored or reset, and reading on from it would miss every change. ` +
        (parameter === 'after'
          ? 'Read the feed again from its start (without after)'
          : 'Reconnect without Last-Event-ID to start at the end of the feed, after reading GET /changes from its start if you need what came before'),
      { cursor, parameter },
    );
  }
}

/**
 * A place in the change feed: the event's transaction id and global position, `<txid>.<position>`.
 * Stable across read-model rebuilds, ordered the way the feed is.
 */
export const encodeCursor = ({ transactionId, globalPosition }: Checkpoint): string =>
  `${transactionId}.${globalPosition}`;

/** The largest transaction id (`xid8`) and global position (`bigint`) PostgreSQL holds. */
const MAX_TRANSACTION_ID = 2n ** 64n - 1n;
const MAX_GLOBAL_POSITION = 2n ** 63n - 1n;

export const decodeCursor = (cursor: string): Checkpoint => {
  const match = /^(\d{1,20})\.(\d{1,20})$/.exec(cursor.trim());
  if (!match || BigInt(match[1]!) > MAX_TRANSACTION_ID || BigInt(match[2]!) > MAX_GLOBAL_POSITION) {
    throw new InvalidCursorError(
      `"${cursor}" is not a change-feed cursor (expected <transaction>.<position>, as returned in nextCursor)`,
      {
        cursor,
      },
    );
  }
  return { transactionId: match[1]!, globalPosition: match[2]! };
};
