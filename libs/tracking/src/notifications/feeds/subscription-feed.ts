import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Clock, Database, EventStore } from '@app/infrastructure';
import { GetTrialTitlesQuery } from '../../read-models/index.js';
import { type SubscriptionRecord, SubscriptionStore } from '../subscriptions/subscription-store.js';
import type { FeedEntry } from './atom-feed.js';

/** The newest events a subscription matched, with their data and trial titles, for its Atom feed. */
@Injectable()
export class SubscriptionFeed {
  constructor(
    private readonly database: Database,
    private readonly eventStore: EventStore,
    private readonly subscriptions: SubscriptionStore,
    private readonly queryBus: QueryBus,
    private readonly clock: Clock,
  ) {}

  async newest(id: string, limit: number): Promise<{ subscription: SubscriptionRecord; entries: FeedEntry[] }> {
    const subscription = await this.subscriptions.get(id, this.clock.now());
    const deliveries = await this.database.query<{ event_id: string; nct_id: string }>(
      `SELECT event_id, nct_id FROM deliveries WHERE subscription_id = $1
       ORDER BY transaction_id DESC, global_position DESC LIMIT $2`,
      [id, limit],
    );
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
    return { subscription, entries };
  }
}
