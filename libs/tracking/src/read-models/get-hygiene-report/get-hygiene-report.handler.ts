import { type IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { FindRegistryAbsencesQuery } from '@app/tracking/watchlists';
import { CurrentStateRepository } from '../repositories/current-state.repository.js';
import { GetHygieneReportQuery, type HygieneEntry, type HygieneReport } from './get-hygiene-report.query.js';

@QueryHandler(GetHygieneReportQuery)
export class GetHygieneReportHandler implements IQueryHandler<GetHygieneReportQuery> {
  constructor(
    private readonly repository: CurrentStateRepository,
    private readonly queryBus: QueryBus,
  ) {}

  async execute({ criteria }: GetHygieneReportQuery): Promise<HygieneReport> {
    const on = criteria.on.slice(0, 10);
    const rows = await this.repository.hygiene({
      on,
      flags: criteria.flags?.length ? criteria.flags : null,
      sponsor: criteria.sponsor ?? null,
      after: criteria.cursor ?? null,
      limit: criteria.limit,
      goneFromRegistry: await this.queryBus.execute(new FindRegistryAbsencesQuery()),
    });
    const page = rows.slice(0, criteria.limit);
    return {
      on,
      trials: page.map((row) => {
        const flags: HygieneEntry['flags'] = [];
        if (row.verification_stale_from)
          flags.push({ flag: 'status-verification-stale', since: row.verification_stale_from });
        if (row.completion_overdue_from)
          flags.push({ flag: 'completion-past-while-recruiting', since: row.completion_overdue_from });
        if (row.gone_since) flags.push({ flag: 'gone-from-registry', since: row.gone_since });
        if (row.merged_into) flags.push({ flag: 'merged-into-another', since: null, mergedInto: row.merged_into });
        return {
          nctId: row.nct_id,
          briefTitle: row.brief_title,
          leadSponsor: row.lead_sponsor,
          overallStatus: row.overall_status,
          flags,
        };
      }),
      nextCursor: rows.length > criteria.limit ? page.at(-1)!.nct_id : null,
    };
  }
}
