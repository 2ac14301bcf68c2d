import type { SubscriptionFilter } from './subscription.js';

export interface SubscriptionInput {
  name?: string | null;
  url: string;
  filter?: SubscriptionFilter;
}
