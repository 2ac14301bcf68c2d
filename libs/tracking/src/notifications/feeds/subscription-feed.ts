import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Clock, Database, EventStore } from '@app/infrastructure';
import { GetTrialTitlesQuery } from '../../read-models/index.js';
import { type SubscriptionRecord, SubscriptionStore } from '../subscriptions/subscription-store.js';
import { decodeCursor, encodeCursor } from '../../shared/cursor.js';
import type { FeedEntry } from './atom-feed.js';

/**
 * The newest events a subscription matched (or those matched before the cursor `before`), with their
 * data and trial titles, for its Atom feed; `olderCursor` is where the next, older page starts, null at the first match.
 */
@Injectable()
export class SubscriptionFeed {
  constructor(
    private readonly database: Database,
    private readonly eventStore: EventStore,
    private readonly subscriptions: SubscriptionStore,
    private readonly queryBus: QueryBus,
    private readonly clock: Clock,
  ) {}

  async newest(
    id: string,
    limit: number,
    before?: string,
  ): Promise<{ subscription: SubscriptionRecord; entries: FeedEntry[]; olderCursor: string | null }> {
    const subscription = await this.subscriptions.get(id, this.clock.now());
    const from = before ? decodeCursor(before) : null;
    const rows = await this.database.query<{
      event_id: string;
      nct_id: string;
      transaction: string;
      position: string;
    }>(
      `SELECT d.event_id, d.nct_id, d.transaction_id::text AS transaction, d.global_position::text AS position
       FROM deliveries d WHERE d.subscription_id = $1
         AND ($3::xid8 IS NULL OR (d.transaction_id, d.global_position) < ($3::xid8, $4::bigint))
       ORDER BY d.transaction_id DESC, d.global_position DESC LIMIT $2`,
      [id, limit + 1, from?.transactionId ?? null, from?.globalPosition ?? null],
    );
    const deliveries = rows.slice(0, limit);
    const last = deliveries.at(-1);
    const olderCursor =
      rows.length > limit && last
        ? encodeCursor({ transactionId: last.transaction, globalPosition: last.position })
        : null;
    const [events, titles] = await Promise.all([
      this.eventStore.readByIds(deliveries.map((delivery) => delivery.event_id)),
      this.queryBus.execute(new GetTrialTitlesQuery(deliveries.map((delivery) => delivery.nct_id))),
    ]);
    const entries = deliveries.flatMap((delivery): FeedEntry[] => {
      const event = events.get(delivery.event_id);
      return event
        ? [
            {
              eventId: event.eventId,
              nctId: delivery.nct_id,
              type: event.type,
              schemaVersion: event.schemaVersion,
              data: event.data,
              occurredAt: event.occurredAt,
              recordedAt: event.recordedAt,
              briefTitle: titles.get(delivery.nct_id) ?? null,
            },
          ]
        : [];
    });
    return { subscription, entries, olderCursor };
  }
}
