import { randomBytes, randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { CommandHandler, type ICommandHandler, type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Queue } from 'bullmq';
import { DomainError } from '@app/domain';
import { Clock, Database, OutboundPolicy, QUEUES, boundedQueueCall } from '@app/infrastructure';
import { deliverJob } from '../webhooks/notifications.processor.js';
import { WEBHOOK_URLS } from '../webhooks/webhook-sender.js';
import {
  InvalidSubscriptionError,
  type Subscription,
  type SubscriptionWithSecret,
  validateFilter,
} from './subscription.js';
import {
  CreateSubscriptionCommand,
  DeleteSubscriptionCommand,
  type DeliveryLog,
  EnableSubscriptionCommand,
  GetDeliveryLogQuery,
  GetSubscriptionQuery,
  ListSubscriptionsQuery,
  RedeliverCommand,
  RotateSubscriptionSecretCommand,
  UpdateSubscriptionCommand,
} from './subscription-commands.js';
import { publicView, SubscriptionStore } from './subscription-store.js';

/** How long a rotated-out secret keeps signing beside the new one. */
const ROTATION_GRACE_MS = 24 * 3_600_000;

const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

const checkName = (name: string | null | undefined): string | null => {
  if (name == null) return null;
  if (name.trim() === '' || name.length > 200) throw new InvalidSubscriptionError('name must be 1 to 200 characters');
  return name.trim();
};

export class DeliveryNotFoundError extends DomainError {
  readonly code = 'delivery.not-found';
  readonly kind = 'not-found' as const;
}

@CommandHandler(CreateSubscriptionCommand)
export class CreateSubscriptionHandler implements ICommandHandler<CreateSubscriptionCommand> {
  constructor(
    private readonly store: SubscriptionStore,
    private readonly policy: OutboundPolicy,
    private readonly clock: Clock,
  ) {}

  async execute({ input }: CreateSubscriptionCommand): Promise<SubscriptionWithSecret> {
    const url = await this.policy.check(input.url, WEBHOOK_URLS);
    const secret = newSecret();
    const record = await this.store.insert(
      {
        id: randomUUID(),
        name: checkName(input.name),
        filter: validateFilter(input.filter ?? {}),
        url: url.href,
        secret,
      },
      this.clock.now(),
    );
    return { ...publicView(record), secret };
  }
}

@CommandHandler(UpdateSubscriptionCommand)
export class UpdateSubscriptionHandler implements ICommandHandler<UpdateSubscriptionCommand> {
  constructor(
    private readonly store: SubscriptionStore,
    private readonly policy: OutboundPolicy,
    private readonly clock: Clock,
  ) {}

  async execute({ id, changes }: UpdateSubscriptionCommand): Promise<Subscription> {
    await this.store.get(id, this.clock.now());
    const url = changes.url ? (await this.policy.check(changes.url, WEBHOOK_URLS)).href : undefined;
    const record = await this.store.update(
      id,
      {
        name: changes.name === undefined ? undefined : checkName(changes.name),
        filter: changes.filter ? validateFilter(changes.filter) : undefined,
        url,
      },
      this.clock.now(),
    );
    return publicView(record);
  }
}

@CommandHandler(DeleteSubscriptionCommand)
export class DeleteSubscriptionHandler implements ICommandHandler<DeleteSubscriptionCommand> {
  constructor(private readonly store: SubscriptionStore) {}

  execute({ id }: DeleteSubscriptionCommand): Promise<void> {
    return this.store.delete(id);
  }
}

@CommandHandler(RotateSubscriptionSecretCommand)
export class RotateSubscriptionSecretHandler implements ICommandHandler<RotateSubscriptionSecretCommand> {
  constructor(
    private readonly store: SubscriptionStore,
    private readonly clock: Clock,
  ) {}

  async execute({ id }: RotateSubscriptionSecretCommand): Promise<SubscriptionWithSecret> {
    const now = this.clock.now();
    const secret = newSecret();
    const record = await this.store.rotateSecret(id, secret, new Date(now.getTime() + ROTATION_GRACE_MS), now);
    return { ...publicView(record), secret };
  }
}

@CommandHandler(EnableSubscriptionCommand)
export class EnableSubscriptionHandler implements ICommandHandler<EnableSubscriptionCommand> {
  constructor(
    private readonly store: SubscriptionStore,
    private readonly clock: Clock,
    @InjectQueue(QUEUES.notifications) private readonly queue: Queue,
  ) {}

  async execute({ id }: EnableSubscriptionCommand): Promise<Subscription> {
    const record = await this.store.enable(id, this.clock.now());
    const job = deliverJob(id);
    await boundedQueueCall(this.queue.add(job.name, job.data, job.opts)).catch(() => undefined);
    return publicView(record);
  }
}

@CommandHandler(RedeliverCommand)
export class RedeliverHandler implements ICommandHandler<RedeliverCommand> {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    @InjectQueue(QUEUES.notifications) private readonly queue: Queue,
  ) {}

  async execute({ subscriptionId, eventId }: RedeliverCommand): Promise<{ eventId: string; status: 'pending' }> {
    const updated = await this.database.execute(
      `UPDATE deliveries SET status = 'pending', next_attempt_at = $3 WHERE subscription_id = $1 AND event_id = $2`,
      [subscriptionId, eventId, this.clock.now()],
    );
    if (updated === 0) {
      throw new DeliveryNotFoundError(`Subscription ${subscriptionId} has no delivery of event ${eventId}`, {
        subscriptionId,
        eventId,
      });
    }
    const job = deliverJob(subscriptionId);
    await boundedQueueCall(this.queue.add(job.name, job.data, job.opts)).catch(() => undefined);
    return { eventId, status: 'pending' };
  }
}

@QueryHandler(GetSubscriptionQuery)
export class GetSubscriptionHandler implements IQueryHandler<GetSubscriptionQuery> {
  constructor(
    private readonly store: SubscriptionStore,
    private readonly clock: Clock,
  ) {}

  async execute({ id }: GetSubscriptionQuery): Promise<Subscription> {
    return publicView(await this.store.get(id, this.clock.now()));
  }
}

@QueryHandler(ListSubscriptionsQuery)
export class ListSubscriptionsHandler implements IQueryHandler<ListSubscriptionsQuery> {
  constructor(
    private readonly store: SubscriptionStore,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<Subscription[]> {
    return (await this.store.list(this.clock.now())).map(publicView);
  }
}

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
      `SELECT a.event_id, d.nct_id, d.event_type, a.attempt, a.attempted_at, a.status_code, a.latency_ms, a.error, d.status AS delivery_status
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

export const SUBSCRIPTION_COMMAND_HANDLERS = [
  CreateSubscriptionHandler,
  UpdateSubscriptionHandler,
  DeleteSubscriptionHandler,
  RotateSubscriptionSecretHandler,
  EnableSubscriptionHandler,
  RedeliverHandler,
];

export const SUBSCRIPTION_QUERY_HANDLERS = [GetSubscriptionHandler, ListSubscriptionsHandler, GetDeliveryLogHandler];
