import { Injectable } from '@nestjs/common';
import { CHANGE_CONTEXT_EVENT_TYPES, CHANGE_CONTEXT_FACTS, type ChangeContext, changeContextsOf } from '@app/domain';
import { EventStore, type Sql, type StoredEvent } from '@app/infrastructure';
import { CHANGE_FEED_TABLE, ChangeFeedRepository } from '../repositories/change-feed.repository.js';
import type { Projection, TableNames } from './projection.js';

/** Of the events that can change a trial's filter facts or how a change is graded, the whole data (`#> '{}'`), of their facts only CHANGE_CONTEXT_FACTS. */
const CONTEXT_EVENTS: Record<string, readonly string[]> = Object.fromEntries(
  CHANGE_CONTEXT_EVENT_TYPES.map((type) => [type, []]),
);

/**
 * Every event of every trial in commit order, for the global change feed, its live stream and feeds.
 * It indexes events rather than copying them: readers take the data from the event store. Each entry
 * carries the trial's filter facts (conditions, lead sponsor, phases) as of its event, folded by the
 * domain from the trial's filter-fact events up to the batch, so filters match the facts at each
 * event, as webhooks do, whatever the trial became later; and how much the change matters (its
 * materiality), graded by the domain's rule table against the trial as it stood before the change.
 */
@Injectable()
export class ChangeFeedProjection implements Projection<'feed'> {
  readonly name = 'change-feed';
  readonly tables = { feed: CHANGE_FEED_TABLE };
  readonly needsPayload = true;
  readonly payloadFacts = CHANGE_CONTEXT_FACTS;

  constructor(
    private readonly repository: ChangeFeedRepository,
    private readonly eventStore: EventStore,
  ) {}

  async apply(sql: Sql, events: readonly StoredEvent[], tables: TableNames<'feed'>): Promise<void> {
    if (events.length === 0) return;
    return this.repository.insert(sql, tables.feed, events, await this.contextsOf(sql, events));
  }

  /** For each event of the batch, its trial's filter facts once it applied and how much it matters. */
  private async contextsOf(sql: Sql, events: readonly StoredEvent[]): Promise<Map<string, ChangeContext>> {
    const byStream = new Map<string, StoredEvent[]>();
    for (const event of events) byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event]);
    const streams = await this.eventStore.readStreamsOfTypes(
      [...byStream.keys()],
      CONTEXT_EVENTS,
      events[events.length - 1]!,
      sql,
      { facts: CHANGE_CONTEXT_FACTS },
    );
    const contexts = new Map<string, ChangeContext>();
    for (const [streamId, changes] of byStream) {
      for (const [eventId, context] of changeContextsOf(streams.get(streamId) ?? [], changes)) {
        contexts.set(eventId, context);
      }
    }
    return contexts;
  }
}
