import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Clock, Database } from '@app/infrastructure';
import { type DeliveryLog } from './delivery-log.js';
import { GetDeliveryLogQuery } from './get-delivery-log.query.js';
import { SubscriptionStore } from './subscription-store.js';

@QueryHandler(GetDeliveryLogQuery)
export class GetDeliveryLogHandler implements IQueryHandler<GetDeliveryLogQuery> {
  constructor(
    private readonly store: SubscriptionStore,
    private readonly database: Database,
    private readonly clock: Clock,
  ) {}

  async execute({ subscriptionId, limit, eventId }: GetDeliveryLogQuery): Promise<DeliveryLog> {
    await this.store.get(subscriptionId, this.clock.now());
    const [counts] = await this.database.query<{ pending: string; delivered: string; abandoned: string }>(
      `SELECT count(*) FILTER (WHERE status = 'pending') AS pending, count(*) FILTER (WHERE status = 'delivered') AS delivered,
              count(*) FILTER (WHERE status = 'abandoned') AS abandoned
       FROM deliveries WHERE subscription_id = $1`,
      [subscriptionId],
    );
    const attempts = await this.database.query<{
      sequence: string;
      event_id: string;
      nct_id: string;
      event_type: string;
      attempt: number;
      attempted_at: Date;
      status_code: number | null;
      latency_ms: number;
      error: string | null;
      delivery_status: string;
    }>(
      `SELECT d.sequence::text AS sequence, a.event_id, d.nct_id, d.event_type, a.attempt, a.attempted_at, a.status_code, a.latency_ms, a.error, d.status AS delivery_status
       FROM delivery_attempts a JOIN deliveries d ON d.subscription_id = a.subscription_id AND d.event_id = a.event_id
       WHERE a.subscription_id = $1 AND ($3::uuid IS NULL OR a.event_id = $3)
       ORDER BY a.id DESC LIMIT $2`,
      [subscriptionId, limit, eventId ?? null],
    );
    return {
      subscriptionId,
      pending: Number(counts?.pending ?? 0),
      delivered: Number(counts?.delivered ?? 0),
      abandoned: Number(counts?.abandoned ?? 0),
      attempts: attempts.map((row) => ({
        sequence: Number(row.sequence),
        eventId: row.event_id,
        nctId: row.nct_id,
        eventType: row.event_type,
        attempt: row.attempt,
        attemptedAt: row.attempted_at.toISOString(),
        statusCode: row.status_code,
        latencyMs: row.latency_ms,
        error: row.error,
        deliveryStatus: row.delivery_status,
      })),
    };
  }
}
