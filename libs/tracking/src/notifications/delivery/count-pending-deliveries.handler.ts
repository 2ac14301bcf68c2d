import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Database } from '@app/infrastructure';
import { CountPendingDeliveriesQuery } from './count-pending-deliveries.query.js';

@QueryHandler(CountPendingDeliveriesQuery)
export class CountPendingDeliveriesHandler implements IQueryHandler<CountPendingDeliveriesQuery> {
  constructor(private readonly database: Database) {}

  async execute(): Promise<number> {
    const [row] = await this.database.query<{ pending: string }>(
      `SELECT count(*) AS pending FROM deliveries WHERE status = 'pending'`,
    );
    return Number(row?.pending ?? 0);
  }
}
