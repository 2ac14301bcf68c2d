/** Notifications' public face: modules, commands, queries and what they return. */
export * from './notifications.module.js';
export * from './subscriptions/subscription.js';
export * from './subscriptions/subscription-input.js';
export * from './subscriptions/delivery-log.js';
export * from './subscriptions/create-subscription.command.js';
export * from './subscriptions/update-subscription.command.js';
export * from './subscriptions/delete-subscription.command.js';
export * from './subscriptions/rotate-subscription-secret.command.js';
export * from './subscriptions/enable-subscription.command.js';
export * from './subscriptions/redeliver.command.js';
export * from './subscriptions/recover-subscription.command.js';
export * from './subscriptions/get-subscription.query.js';
export * from './subscriptions/list-subscriptions.query.js';
export * from './subscriptions/get-delivery-log.query.js';
export * from './delivery/count-pending-deliveries.query.js';
export * from './feeds/trial-feed.js';
