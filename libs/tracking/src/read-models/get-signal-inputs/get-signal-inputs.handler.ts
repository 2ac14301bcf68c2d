import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { HygieneFlag } from '@app/domain';
import { CurrentStateRepository } from '../repositories/current-state.repository.js';
import { GetSignalInputsQuery, type SignalInputsPage } from './get-signal-inputs.query.js';

/** Every trial's deadline and flag days, a page at a time, for the daily signal check. */
@QueryHandler(GetSignalInputsQuery)
export class GetSignalInputsHandler implements IQueryHandler<GetSignalInputsQuery> {
  constructor(private readonly repository: CurrentStateRepository) {}

  async execute({ on, after, limit }: GetSignalInputsQuery): Promise<SignalInputsPage> {
    const rows = await this.repository.signalInputs(on.slice(0, 10), after, limit);
    return {
      trials: rows.map((row) => {
        const hygieneFrom: Partial<Record<HygieneFlag, string>> = {};
        if (row.verification_stale_from) hygieneFrom['status-verification-stale'] = row.verification_stale_from;
        if (row.completion_overdue_from) hygieneFrom['completion-past-while-recruiting'] = row.completion_overdue_from;
        // Merged into another trial: it holds as soon as that trial's record names this one.
        if (row.merged_into) hygieneFrom['merged-into-another'] = '0001-01-01';
        return {
          nctId: row.nct_id,
          streamVersion: row.stream_version,
          resultsDueDate: row.results_due_date,
          resultsReported: row.results_reported,
          primaryCompletionDate: row.primary_completion_date,
          hygieneFrom,
        };
      }),
      nextCursor: rows.length === limit ? rows[rows.length - 1]!.nct_id : null,
    };
  }
}
