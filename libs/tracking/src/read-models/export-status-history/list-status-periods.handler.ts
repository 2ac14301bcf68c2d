import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Clock } from '@app/infrastructure';
import { StatusPeriodsRepository } from '../repositories/status-periods.repository.js';
import { ListStatusPeriodsQuery, type StatusPeriodsPage } from './list-status-periods.query.js';

const DAY = 86_400_000;
export const STATUS_PERIODS_CURSOR = /^(NCT\d{8})~(\d+)$/;

@QueryHandler(ListStatusPeriodsQuery)
export class ListStatusPeriodsHandler implements IQueryHandler<ListStatusPeriodsQuery> {
  constructor(
    private readonly repository: StatusPeriodsRepository,
    private readonly clock: Clock,
  ) {}

  async execute({ nctIds, cursor, limit }: ListStatusPeriodsQuery): Promise<StatusPeriodsPage> {
    const after = cursor ? STATUS_PERIODS_CURSOR.exec(cursor) : null;
    const rows = await this.repository.page(
      nctIds,
      after ? { nctId: after[1]!, index: Number(after[2]) } : null,
      limit + 1,
    );
    const page = rows.slice(0, limit);
    const now = this.clock.now().getTime();
    const last = page.at(-1);
    return {
      periods: page.map((row) => ({
        nctId: row.nct_id,
        status: row.status,
        from: row.started_at.toISOString(),
        to: row.ended_at?.toISOString() ?? null,
        days: Math.floor(((row.ended_at?.getTime() ?? now) - row.started_at.getTime()) / DAY),
        current: row.ended_at === null,
      })),
      nextCursor: rows.length > limit && last ? `${last.nct_id}~${last.period_index}` : null,
    };
  }
}
