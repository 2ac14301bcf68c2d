import { Inject, Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { GetWatchlistTrialsQuery } from '../../watchlists/index.js';
import {
  decodeEvent,
  foldRecorded,
  materialityOf,
  type MaterialityTier,
  nctIdOfStream,
  type TrialState,
} from '@app/domain';
import {
  APP_CONFIG,
  type AppConfig,
  Clock,
  compareCheckpoints,
  Database,
  EventStore,
  type Sql,
  type StoredEvent,
} from '@app/infrastructure';
import { type FilterSubject, matchesFilter, needsFacts } from './subscription-filter.js';
import { MATCHING_LOCK_KEY } from '../subscriptions/matching-lock.js';
import { type SubscriptionRecord, SubscriptionStore } from '../subscriptions/subscription-store.js';

/** Whether subscription `sub`'s checkpoint lies before the batch's last event ($10, $11). */
const BEHIND = '(sub.checkpoint_transaction_id, sub.checkpoint_global_position) < ($10::xid8, $11::bigint)';

/**
 * Turns events into pending deliveries. It reads the event store after each active subscription's
 * checkpoint, records a delivery for every matching event and moves the checkpoints, all in one
 * transaction: what must be delivered lives in PostgreSQL, never only in a queue.
 */
@Injectable()
export class NotificationMatcher {
  constructor(
    private readonly database: Database,
    private readonly eventStore: EventStore,
    private readonly subscriptions: SubscriptionStore,
    private readonly clock: Clock,
    private readonly queryBus: QueryBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Matches one batch of events; returns the subscriptions that got new deliveries, or null when caught up. */
  async matchBatch(): Promise<{ events: number; subscriptionIds: string[] } | null> {
    return this.database.transaction(async (sql) => {
      const [lock] = await sql.query<{ acquired: boolean }>(
        'SELECT pg_try_advisory_xact_lock($1::bigint) AS acquired',
        [MATCHING_LOCK_KEY],
      );
      if (!lock?.acquired) return null;
      const now = this.clock.now();
      const subscriptions = await this.subscriptions.active(now, sql);
      if (subscriptions.length === 0) return null;
      const from = subscriptions
        .map((subscription) => subscription.checkpoint)
        .reduce((lowest, checkpoint) => (compareCheckpoints(checkpoint, lowest) < 0 ? checkpoint : lowest));
      const events = await this.eventStore.readAll(from, this.config.projectionBatchSize, sql, { payload: false });
      if (events.length === 0) return null;

      const { facts, grades } = subscriptions.some((subscription) => needsFacts(subscription.filter))
        ? await this.contextOfEachEvent(events, sql)
        : { facts: new Map<string, TrialState>(), grades: new Map<string, MaterialityTier>() };
      const memberships = await this.watchlistMemberships(subscriptions, events);
      const rows: { subscriptionId: string; event: StoredEvent }[] = [];
      for (const event of events) {
        const nctId = nctIdOfStream(event.streamId);
        const subject: FilterSubject = {
          eventType: event.type,
          nctId,
          facts: facts.get(event.eventId) ?? null,
          materiality: grades.get(event.eventId) ?? null,
          watchlistIds: memberships.get(nctId) ?? new Set(),
        };
        for (const subscription of subscriptions) {
          if (compareCheckpoints(event, subscription.checkpoint) > 0 && matchesFilter(subscription.filter, subject)) {
            rows.push({ subscriptionId: subscription.id, event });
          }
        }
      }
      const last = events[events.length - 1]!;
      // Each new delivery takes its subscription's next sequence number, in event order: gap-free, since the
      // numbers and the rows are written in one statement and the matcher runs alone (the advisory lock).
      // The same statement moves every active subscription's checkpoint past the batch, so a subscription
      // with new deliveries is written once.
      await sql.execute(
        `WITH input AS (
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::xid8[], $7::bigint[])
             WITH ORDINALITY AS u(s, e, n, t, v, x, p, ord)
         ), fresh AS (
           SELECT input.*, sub.last_sequence + row_number() OVER (PARTITION BY input.s ORDER BY input.ord) AS seq
           FROM input JOIN subscriptions sub ON sub.id = input.s
           WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.subscription_id = input.s AND d.event_id = input.e)
         ), inserted AS (
           INSERT INTO deliveries (subscription_id, event_id, nct_id, event_type, stream_version, transaction_id, global_position, status, next_attempt_at, sequence)
           SELECT s, e, n, t, v, x, p, 'pending', $8, seq FROM fresh
           RETURNING subscription_id, sequence
         ), top AS (
           SELECT subscription_id, max(sequence) AS last FROM inserted GROUP BY subscription_id
         )
         UPDATE subscriptions sub
         SET last_sequence = coalesce(top.last, sub.last_sequence),
             checkpoint_transaction_id = CASE WHEN ${BEHIND} THEN $10::xid8 ELSE sub.checkpoint_transaction_id END,
             checkpoint_global_position = CASE WHEN ${BEHIND} THEN $11::bigint ELSE sub.checkpoint_global_position END
         FROM unnest($9::uuid[]) AS active(id) LEFT JOIN top ON top.subscription_id = active.id
         WHERE sub.id = active.id
           AND (top.last IS NOT NULL OR ${BEHIND})`,
        [
          rows.map((row) => row.subscriptionId),
          rows.map((row) => row.event.eventId),
          rows.map((row) => nctIdOfStream(row.event.streamId)),
          rows.map((row) => row.event.type),
          rows.map((row) => row.event.streamVersion),
          rows.map((row) => row.event.transactionId),
          rows.map((row) => row.event.globalPosition),
          now,
          subscriptions.map((subscription) => subscription.id),
          last.transactionId,
          last.globalPosition,
        ],
      );
      return { events: events.length, subscriptionIds: [...new Set(rows.map((row) => row.subscriptionId))] };
    });
  }

  /**
   * Whether some event lies past the lowest active subscription's checkpoint, visible or not: a batch
   * that found nothing while this holds means the events are still below the commit horizon (an older
   * transaction is running) or another matcher is on them, so they are worth looking for again shortly.
   */
  async behind(): Promise<boolean> {
    const lowest = await this.subscriptions.lowestActiveCheckpoint();
    return lowest !== null && (await this.eventStore.anyAfter(lowest));
  }

  /**
   * The trial's state once each event applied (what condition, sponsor and phase filters look at), and
   * how much each event matters, graded against the state before it (what `minMateriality` looks at).
   */
  private async contextOfEachEvent(
    events: StoredEvent[],
    sql: Sql,
  ): Promise<{ facts: Map<string, TrialState>; grades: Map<string, MaterialityTier> }> {
    const wanted = new Set(events.map((event) => event.eventId));
    const streams = await this.eventStore.readStreams([...new Set(events.map((event) => event.streamId))], sql);
    const facts = new Map<string, TrialState>();
    const grades = new Map<string, MaterialityTier>();
    for (const stream of streams.values()) {
      let before: TrialState | null = null;
      foldRecorded(stream, (state, index) => {
        const recorded = stream[index]!;
        if (wanted.has(recorded.eventId)) {
          if (state) facts.set(recorded.eventId, state);
          const event = decodeEvent(recorded);
          if (event) {
            const context = {
              before: before
                ? { startDate: before.startDate, primaryCompletionDate: before.primaryCompletionDate }
                : null,
              occurredAt: recorded.occurredAt.toISOString(),
            };
            grades.set(recorded.eventId, materialityOf(event, context).tier);
          }
        }
        before = state;
      });
    }
    return { facts, grades };
  }

  /** For the trials in the batch, the watchlists (named in some filter) that watch them. */
  private async watchlistMemberships(
    subscriptions: SubscriptionRecord[],
    events: StoredEvent[],
  ): Promise<Map<string, Set<string>>> {
    const watchlistIds = [...new Set(subscriptions.flatMap((subscription) => subscription.filter.watchlistIds ?? []))];
    const memberships = new Map<string, Set<string>>();
    if (watchlistIds.length === 0) return memberships;
    const nctIds = [...new Set(events.map((event) => nctIdOfStream(event.streamId)))];
    const trials = await this.queryBus.execute(new GetWatchlistTrialsQuery(watchlistIds, nctIds));
    for (const [watchlistId, members] of trials) {
      for (const nctId of members) memberships.set(nctId, (memberships.get(nctId) ?? new Set()).add(watchlistId));
    }
    return memberships;
  }
}
