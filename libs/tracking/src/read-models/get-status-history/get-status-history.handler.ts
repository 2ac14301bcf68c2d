import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { daysBetween } from '@app/domain';
import { Clock } from '@app/infrastructure';
import { StatusPeriodsRepository } from '../repositories/status-periods.repository.js';
import { TrialLookup } from '../lookup-trial/trial-lookup.js';
import { GetStatusHistoryQuery, type StatusHistory } from './get-status-history.query.js';

@QueryHandler(GetStatusHistoryQuery)
export class GetStatusHistoryHandler implements IQueryHandler<GetStatusHistoryQuery> {
  constructor(
    private readonly repository: StatusPeriodsRepository,
    private readonly lookup: TrialLookup,
    private readonly clock: Clock,
  ) {}

  async execute({ nctId }: GetStatusHistoryQuery): Promise<StatusHistory> {
    const rows = await this.repository.ofTrial(nctId);
    if (rows.length === 0) await this.lookup.assertKnown(nctId);
    const now = this.clock.nowIso();
    const periods = rows.map((row) => {
      const from = row.started_at.toISOString();
      const to = row.ended_at?.toISOString() ?? null;
      return { status: row.status, from, to, days: daysBetween(from, to ?? now), current: to === null };
    });
    return { nctId, currentStatus: periods.find((period) => period.current)?.status ?? null, periods };
  }
}
