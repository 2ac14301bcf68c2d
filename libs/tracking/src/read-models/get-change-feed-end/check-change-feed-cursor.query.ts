import { Query } from '@nestjs/cqrs';

/**
 * Refuses a client's place in the change feed (`CursorAheadError`) when it lies past the feed's end, as
 * one from another installation or from before the database was reset does; answers nothing otherwise.
 */
export class CheckChangeFeedCursorQuery extends Query<void> {
  constructor(
    readonly cursor: string,
    readonly parameter: 'after' | 'Last-Event-ID',
  ) {
    super();
  }
}
