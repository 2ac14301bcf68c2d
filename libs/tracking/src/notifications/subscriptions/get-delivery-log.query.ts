import { Query } from '@nestjs/cqrs';
import type { DeliveryLog } from './delivery-log.js';

export class GetDeliveryLogQuery extends Query<DeliveryLog> {
  constructor(
    readonly subscriptionId: string,
    readonly limit: number,
    readonly eventId?: string,
  ) {
    super();
  }
}
