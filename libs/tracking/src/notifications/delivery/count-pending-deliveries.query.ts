import { Query } from '@nestjs/cqrs';

/** How many webhook deliveries are waiting (to be tried, or retried) across every subscription. */
export class CountPendingDeliveriesQuery extends Query<number> {}
