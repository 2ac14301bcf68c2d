import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { OutcomeSwitchesRepository } from '../repositories/outcome-switches.repository.js';
import { GetOutcomeSwitchingReportQuery, type OutcomeSwitchingReport } from './get-outcome-switching-report.query.js';

@QueryHandler(GetOutcomeSwitchingReportQuery)
export class GetOutcomeSwitchingReportHandler implements IQueryHandler<GetOutcomeSwitchingReportQuery> {
  constructor(private readonly repository: OutcomeSwitchesRepository) {}

  async execute({ criteria }: GetOutcomeSwitchingReportQuery): Promise<OutcomeSwitchingReport> {
    const rows = await this.repository.switchedTrials({
      // The instant JavaScript reads (a day alone is its midnight UTC), not what the database's time zone makes of the text.
      since: criteria.since ? new Date(criteria.since) : null,
      sponsor: criteria.sponsor ?? null,
      condition: criteria.condition ?? null,
      after: criteria.cursor ?? null,
      limit: criteria.limit,
    });
    const page = rows.slice(0, criteria.limit);
    return {
      trials: page.map((row) => ({
        nctId: row.nct_id,
        briefTitle: row.brief_title,
        leadSponsor: row.lead_sponsor,
        overallStatus: row.overall_status,
        conditions: row.conditions,
        startDate: row.start_date,
        primaryCompletionDate: row.primary_completion_date,
        switches: row.switches.map((entry) => ({
          eventId: entry.eventId,
          occurredAt: new Date(entry.occurredAt).toISOString(),
          ...entry.switch,
          datesThen: entry.switch.datesThen ?? null,
        })),
      })),
      nextCursor: rows.length > criteria.limit ? page.at(-1)!.nct_id : null,
    };
  }
}
