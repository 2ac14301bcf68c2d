import { Inject, Injectable } from '@nestjs/common';
import {
  CHANGE_CONTEXT_EVENT_TYPES,
  CHANGE_CONTEXT_FACTS,
  type ChangeContext,
  changeContextsFrom,
  type ContextStart,
} from '@app/domain';
import { APP_CONFIG, type AppConfig, EventStore, Metrics, type Sql, type StoredEvent } from '@app/infrastructure';
import { CHANGE_FEED_TABLE, ChangeFeedRepository } from '../repositories/change-feed.repository.js';
import type { Projection, TableNames } from './projection.js';
import { VersionedStateCache } from './versioned-state-cache.js';

/** Of the events that can change a trial's filter facts or how a change is graded, the whole data (`#> '{}'`), of their facts only CHANGE_CONTEXT_FACTS. */
const CONTEXT_EVENTS: Record<string, readonly string[]> = Object.fromEntries(
  CHANGE_CONTEXT_EVENT_TYPES.map((type) => [type, []]),
);
const IS_CONTEXT_EVENT: ReadonlySet<string> = new Set(CHANGE_CONTEXT_EVENT_TYPES);

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
  /** Each trial's context after the last version a batch gave it, so its next batch reads no context events. */
  private readonly contextCache: VersionedStateCache<ContextStart['state']>;

  constructor(
    private readonly repository: ChangeFeedRepository,
    private readonly eventStore: EventStore,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.contextCache = new VersionedStateCache(config.projectionFactsCacheTrials);
  }

  async apply(sql: Sql, events: readonly StoredEvent[], tables: TableNames<'feed'>): Promise<void> {
    if (events.length === 0) return;
    return this.repository.insert(sql, tables.feed, events, await this.contextsOf(sql, events));
  }

  /** For each event of the batch, its trial's filter facts once it applied and how much it matters. */
  private async contextsOf(sql: Sql, events: readonly StoredEvent[]): Promise<Map<string, ChangeContext>> {
    const byStream = new Map<string, StoredEvent[]>();
    for (const event of events) {
      const changes = byStream.get(event.streamId);
      if (changes) changes.push(event);
      else byStream.set(event.streamId, [event]);
    }
    // A trial whose changes here follow on, one version after another, from its start or from a kept
    // context needs none of its events read again.
    const known = new Map<string, ContextStart>();
    let hits = 0;
    for (const [streamId, changes] of byStream) {
      const from = changes[0]!.streamVersion - 1;
      if (!changes.every((change, index) => change.streamVersion === from + 1 + index)) continue;
      const entry = from === 0 ? { state: null } : this.contextCache.get(streamId, from);
      if (entry) known.set(streamId, { version: from, state: entry.state });
      if (entry && from > 0) hits += 1;
    }
    const missed = [...byStream.keys()].filter((streamId) => !known.has(streamId));
    this.metrics.projectionFactsCache.inc({ projection: this.name, result: 'hit' }, hits);
    this.metrics.projectionFactsCache.inc({ projection: this.name, result: 'miss' }, missed.length);
    const read =
      missed.length === 0
        ? new Map<string, StoredEvent[]>()
        : await this.eventStore.readStreamsOfTypes(missed, CONTEXT_EVENTS, events[events.length - 1]!, sql, {
            facts: CHANGE_CONTEXT_FACTS,
          });
    const contexts = new Map<string, ChangeContext>();
    for (const [streamId, changes] of byStream) {
      const start = known.get(streamId);
      const { contexts: ofStream, end } = start
        ? changeContextsFrom(
            start,
            changes.filter((change) => IS_CONTEXT_EVENT.has(change.type)),
            changes,
          )
        : changeContextsFrom({ version: 0, state: null }, read.get(streamId) ?? [], changes);
      for (const [eventId, context] of ofStream) contexts.set(eventId, context);
      this.contextCache.set(streamId, end.version, end.state);
    }
    return contexts;
  }
}
