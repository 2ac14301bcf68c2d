import { Query } from '@nestjs/cqrs';
import type { Subscription } from './subscription.js';

export class ListSubscriptionsQuery extends Query<Subscription[]> {}
