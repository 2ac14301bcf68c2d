import { Injectable } from '@nestjs/common';
import { FILTER_FACT_EVENT_TYPES, type FilterFacts, filterFactsAlong, filterFactsOf } from '@app/domain';
import { EventStore, type Sql, type StoredEvent } from '@app/infrastructure';
import { CHANGE_FEED_TABLE, ChangeFeedRepository } from '../repositories/change-feed.repository.js';
import type { Projection, TableNames } from './projection.js';

/** Of the events that can change a trial's filter facts, the whole data (`#> '{}'`). */
const FILTER_FACT_EVENTS: Record<string, readonly string[]> = Object.fromEntries(
  FILTER_FACT_EVENT_TYPES.map((type) => [type, []]),
);

/**
 * Every event of every trial in commit order, for the global change feed, its live stream and feeds.
 * It indexes events rather than copying them: readers take the data from the event store. Each entry
 * carries the trial's filter facts (conditions, lead sponsor, phases) as of its event, folded by the
 * domain from the trial's filter-fact events up to the batch, so filters match the facts at each
 * event, as webhooks do, whatever the trial became later.
 */
@Injectable()
export class ChangeFeedProjection implements Projection<'feed'> {
  readonly name = 'change-feed';
  readonly tables = { feed: CHANGE_FEED_TABLE };
  readonly needsPayload = false;

  constructor(
    private readonly repository: ChangeFeedRepository,
    private readonly eventStore: EventStore,
  ) {}

  async apply(sql: Sql, events: readonly StoredEvent[], tables: TableNames<'feed'>): Promise<void> {
    if (events.length === 0) return;
    const facts = await this.factsAtEachEvent(sql, events);
    return this.repository.insert(sql, tables.feed, events, facts);
  }

  /** For each event of the batch, its trial's filter facts once it applied. */
  private async factsAtEachEvent(sql: Sql, events: readonly StoredEvent[]): Promise<Map<string, FilterFacts>> {
    const streamIds = [...new Set(events.map((event) => event.streamId))];
    const streams = await this.eventStore.readStreamsOfTypes(
      streamIds,
      FILTER_FACT_EVENTS,
      events[events.length - 1]!,
      sql,
    );
    const folded = new Map(
      [...streams].map(([streamId, stream]) => [
        streamId,
        { versions: stream.map((event) => event.streamVersion), facts: filterFactsAlong(stream) },
      ]),
    );
    const facts = new Map<string, FilterFacts>();
    for (const event of events) {
      const stream = folded.get(event.streamId);
      // The facts after the last filter-fact event at or before this one in the trial's stream.
      let index = -1;
      for (let low = 0, high = (stream?.versions.length ?? 0) - 1; low <= high;) {
        const middle = (low + high) >> 1;
        if (stream!.versions[middle]! <= event.streamVersion) {
          index = middle;
          low = middle + 1;
        } else high = middle - 1;
      }
      facts.set(event.eventId, index >= 0 ? stream!.facts[index]! : filterFactsOf(null));
    }
    return facts;
  }
}
