import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { daysPastDue, RESULTS_DUE_STATES, type ResultsDueState } from '@app/domain';
import { CurrentStateRepository } from '../repositories/current-state.repository.js';
import { GetResultsDueReportQuery, type ResultsDueReport } from './get-results-due-report.query.js';
import { parseResultsDueCursor, resultsDueCursorOf } from './results-due-cursor.js';

@QueryHandler(GetResultsDueReportQuery)
export class GetResultsDueReportHandler implements IQueryHandler<GetResultsDueReportQuery> {
  constructor(private readonly repository: CurrentStateRepository) {}

  async execute({ criteria }: GetResultsDueReportQuery): Promise<ResultsDueReport> {
    const on = criteria.on.slice(0, 10);
    const after = criteria.cursor ? parseResultsDueCursor(criteria.cursor) : null;
    const [rows, counted] = await Promise.all([
      this.repository.resultsDue({
        on,
        states: criteria.states?.length ? criteria.states : null,
        sponsor: criteria.sponsor ?? null,
        after,
        limit: criteria.limit,
      }),
      this.repository.resultsDueCounts(on, criteria.sponsor ?? null),
    ]);
    const page = rows.slice(0, criteria.limit);
    const last = page.at(-1);
    return {
      on,
      counts: Object.fromEntries(RESULTS_DUE_STATES.map((state) => [state, counted[state] ?? 0])) as Record<
        ResultsDueState,
        number
      >,
      trials: page.map((row) => ({
        nctId: row.nct_id,
        briefTitle: row.brief_title,
        leadSponsor: row.lead_sponsor,
        overallStatus: row.overall_status,
        primaryCompletionDate: row.primary_completion_date,
        dueDate: row.due_date,
        state: row.state as ResultsDueState,
        submittedOn: row.submitted_on,
        reportedOn: row.reported_on,
        daysOverdue: row.state === 'overdue' ? daysPastDue(row.due_date, on) : null,
      })),
      nextCursor:
        rows.length > criteria.limit && last
          ? resultsDueCursorOf({ dueDate: last.due_date, nctId: last.nct_id })
          : null,
    };
  }
}
