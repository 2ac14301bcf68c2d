import { type IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { FindRegistryAbsencesQuery } from '@app/tracking/watchlists';
import { CurrentStateRepository } from '../repositories/current-state.repository.js';
import { SearchTrialsQuery, type TrialSearchPage } from './search-trials.query.js';

/** Current states matching every given criterion, by NCT ID, keyset-paged. */
@QueryHandler(SearchTrialsQuery)
export class SearchTrialsHandler implements IQueryHandler<SearchTrialsQuery> {
  constructor(
    private readonly repository: CurrentStateRepository,
    private readonly queryBus: QueryBus,
  ) {}

  async execute({ criteria }: SearchTrialsQuery): Promise<TrialSearchPage> {
    const search = {
      status: criteria.status ?? null,
      phase: criteria.phase ?? null,
      sponsor: criteria.sponsor ?? null,
      condition: criteria.condition ?? null,
      // The instant JavaScript reads (a day alone is its midnight UTC), not what the database's time zone makes of the text.
      changedSince: criteria.changedSince ? new Date(criteria.changedSince) : null,
      secondaryId: criteria.secondaryId ?? null,
      text: criteria.text ?? null,
      resultsDueState: criteria.resultsDueState ?? null,
      hygieneFlag: criteria.hygieneFlag ?? null,
      on: criteria.on?.slice(0, 10) ?? null,
      goneFromRegistry:
        criteria.hygieneFlag === 'gone-from-registry'
          ? ((await this.queryBus.execute(new FindRegistryAbsencesQuery())) as Map<string, string>)
          : new Map<string, string>(),
      after: criteria.cursor ?? null,
      limit: criteria.limit,
    };
    const [rows, total] = await Promise.all([
      this.repository.search(search),
      criteria.countTotal ? this.repository.countMatching(search) : undefined,
    ]);
    const page = rows.slice(0, criteria.limit);
    return {
      ...(total === undefined ? {} : { total }),
      trials: page.map((row) => ({
        nctId: row.nct_id,
        briefTitle: row.brief_title,
        overallStatus: row.overall_status,
        phases: row.phases,
        studyType: row.study_type,
        leadSponsor: row.lead_sponsor,
        conditions: row.conditions,
        streamVersion: row.stream_version,
        lastChangedAt: row.last_changed_at.toISOString(),
        lastEventType: row.last_event_type,
      })),
      nextCursor: rows.length > criteria.limit ? page[page.length - 1]!.nct_id : null,
    };
  }
}
