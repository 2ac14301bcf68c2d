import { Injectable } from '@nestjs/common';
import type { Sql, StoredEvent } from '@app/infrastructure';
import { CHANGE_FEED_TABLE, ChangeFeedRepository } from '../repositories/change-feed.repository.js';
import type { Projection, TableNames } from './projection.js';

/**
 * Every event of every trial in commit order, for the global change feed, its live stream and feeds.
 * It indexes events rather than copying them: readers take the data from the event store.
 */
@Injectable()
export class ChangeFeedProjection implements Projection<'feed'> {
  readonly name = 'change-feed';
  readonly tables = { feed: CHANGE_FEED_TABLE };
  readonly needsPayload = false;

  constructor(private readonly repository: ChangeFeedRepository) {}

  apply(sql: Sql, events: readonly StoredEvent[], tables: TableNames<'feed'>): Promise<void> {
    return this.repository.insert(sql, tables.feed, events);
  }
}
