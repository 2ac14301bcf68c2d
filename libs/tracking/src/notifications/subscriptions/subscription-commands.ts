import { Command, Query } from '@nestjs/cqrs';
import type { Subscription, SubscriptionFilter, SubscriptionWithSecret } from './subscription.js';

export interface SubscriptionInput {
  name?: string | null;
  url: string;
  filter?: SubscriptionFilter;
}

export class CreateSubscriptionCommand extends Command<SubscriptionWithSecret> {
  constructor(readonly input: SubscriptionInput) {
    super();
  }
}

export class UpdateSubscriptionCommand extends Command<Subscription> {
  constructor(
    readonly id: string,
    readonly changes: Partial<SubscriptionInput>,
  ) {
    super();
  }
}

export class DeleteSubscriptionCommand extends Command<void> {
  constructor(readonly id: string) {
    super();
  }
}

/** Issues a new signing secret; the old one keeps signing beside it for a grace period. */
export class RotateSubscriptionSecretCommand extends Command<SubscriptionWithSecret> {
  constructor(readonly id: string) {
    super();
  }
}

export class EnableSubscriptionCommand extends Command<Subscription> {
  constructor(readonly id: string) {
    super();
  }
}

/** Delivers an event again (delivered or abandoned), now. */
export class RedeliverCommand extends Command<{ eventId: string; status: 'pending' }> {
  constructor(
    readonly subscriptionId: string,
    readonly eventId: string,
  ) {
    super();
  }
}

export class GetSubscriptionQuery extends Query<Subscription> {
  constructor(readonly id: string) {
    super();
  }
}

export class ListSubscriptionsQuery extends Query<Subscription[]> {}

export interface DeliveryLogEntry {
  eventId: string;
  nctId: string;
  eventType: string;
  attempt: number;
  attemptedAt: string;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  /** The delivery's state now: pending (retrying), delivered or abandoned. */
  deliveryStatus: string;
}

export interface DeliveryLog {
  subscriptionId: string;
  pending: number;
  delivered: number;
  abandoned: number;
  attempts: DeliveryLogEntry[];
}

export class GetDeliveryLogQuery extends Query<DeliveryLog> {
  constructor(
    readonly subscriptionId: string,
    readonly limit: number,
    readonly eventId?: string,
  ) {
    super();
  }
}
