import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Database } from '@app/infrastructure';
import { SearchTrialsQuery, type TrialSearchPage } from './search-trials.query.js';

interface Row {
  nct_id: string;
  brief_title: string | null;
  overall_status: string | null;
  phases: string[];
  study_type: string | null;
  lead_sponsor: string | null;
  conditions: string[];
  stream_version: number;
  last_changed_at: Date;
  last_event_type: string;
}

/** Current states matching every given criterion, by NCT ID, keyset-paged. */
@QueryHandler(SearchTrialsQuery)
export class SearchTrialsHandler implements IQueryHandler<SearchTrialsQuery> {
  constructor(private readonly database: Database) {}

  async execute({ criteria }: SearchTrialsQuery): Promise<TrialSearchPage> {
    const rows = await this.database.query<Row>(
      `SELECT nct_id, brief_title, overall_status, phases, study_type, lead_sponsor, conditions, stream_version,
              last_changed_at, last_event_type
       FROM trial_current_state
       WHERE ($1::text IS NULL OR overall_status = $1)
         AND ($2::text IS NULL OR phases @> ARRAY[$2::text])
         AND ($3::text IS NULL OR strpos(lower(lead_sponsor), lower($3)) > 0)
         AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM unnest(conditions) c WHERE strpos(lower(c), lower($4)) > 0))
         AND ($5::timestamptz IS NULL OR last_changed_at >= $5)
         AND ($6::text IS NULL OR nct_id > $6)
       ORDER BY nct_id
       LIMIT $7`,
      [
        criteria.status ?? null,
        criteria.phase ?? null,
        criteria.sponsor ?? null,
        criteria.condition ?? null,
        criteria.changedSince ?? null,
        criteria.cursor ?? null,
        criteria.limit + 1,
      ],
    );
    const page = rows.slice(0, criteria.limit);
    return {
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
