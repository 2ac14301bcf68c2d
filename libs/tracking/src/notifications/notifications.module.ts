import { Module } from '@nestjs/common';
import { CountPendingDeliveriesHandler } from './delivery/count-pending-deliveries.handler.js';
import { NotificationsProcessor } from './delivery/notifications.processor.js';
import { WebhookDeliverer } from './delivery/webhook-deliverer.js';
import { FeedsController } from './feeds/feeds.controller.js';
import { SubscriptionFeed } from './feeds/subscription-feed.js';
import { MatcherWakeUp } from './matching/matcher-wake-up.js';
import { NotificationMatcher } from './matching/notification-matcher.js';
import { ChangeStreamController } from './stream/change-stream.controller.js';
import { OpenStreams } from './stream/open-streams.js';
import { CreateSubscriptionHandler } from './subscriptions/create-subscription.handler.js';
import { DeleteSubscriptionHandler } from './subscriptions/delete-subscription.handler.js';
import { EnableSubscriptionHandler } from './subscriptions/enable-subscription.handler.js';
import { GetDeliveryLogHandler } from './subscriptions/get-delivery-log.handler.js';
import { GetSubscriptionHandler } from './subscriptions/get-subscription.handler.js';
import { ListSubscriptionsHandler } from './subscriptions/list-subscriptions.handler.js';
import { RecoverSubscriptionHandler } from './subscriptions/recover-subscription.handler.js';
import { RedeliverHandler } from './subscriptions/redeliver.handler.js';
import { RotateSubscriptionSecretHandler } from './subscriptions/rotate-subscription-secret.handler.js';
import { SubscriptionStore } from './subscriptions/subscription-store.js';
import { SubscriptionsController } from './subscriptions/subscriptions.controller.js';
import { UpdateSubscriptionHandler } from './subscriptions/update-subscription.handler.js';

/**
 * Notifications: webhook subscriptions, matching events to them, signed delivery with retries, the live
 * change stream and Atom feeds. It reads the event store and asks the read models and watchlists through
 * their queries.
 */
@Module({
  providers: [
    CreateSubscriptionHandler,
    UpdateSubscriptionHandler,
    DeleteSubscriptionHandler,
    RotateSubscriptionSecretHandler,
    EnableSubscriptionHandler,
    RedeliverHandler,
    RecoverSubscriptionHandler,
    GetSubscriptionHandler,
    ListSubscriptionsHandler,
    GetDeliveryLogHandler,
    CountPendingDeliveriesHandler,
    SubscriptionStore,
    NotificationMatcher,
    MatcherWakeUp,
    WebhookDeliverer,
    SubscriptionFeed,
  ],
  // For this context's HTTP and worker modules only; other contexts use the commands and queries.
  exports: [SubscriptionStore, NotificationMatcher, WebhookDeliverer, SubscriptionFeed],
})
export class NotificationsModule {}

/** Subscriptions managed, the live stream and feeds served, over HTTP (the api). */
@Module({
  imports: [NotificationsModule],
  controllers: [SubscriptionsController, ChangeStreamController, FeedsController],
  providers: [OpenStreams],
})
export class NotificationsHttpModule {}

/** Matching and delivery (the worker). */
@Module({ imports: [NotificationsModule], providers: [NotificationsProcessor] })
export class NotificationsWorkerModule {}
