import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ChangeFeedRepository } from '../repositories/change-feed.repository.js';
import { GetLastMaterialChangesQuery, type MaterialChange } from './get-last-material-changes.query.js';

@QueryHandler(GetLastMaterialChangesQuery)
export class GetLastMaterialChangesHandler implements IQueryHandler<GetLastMaterialChangesQuery> {
  constructor(private readonly feed: ChangeFeedRepository) {}

  async execute({ nctIds, minMateriality }: GetLastMaterialChangesQuery): Promise<Map<string, MaterialChange>> {
    const rows = await this.feed.latestGradedOf(nctIds, minMateriality);
    return new Map(
      rows.flatMap((row) =>
        row.materiality_detail
          ? [
              [
                row.nct_id,
                {
                  nctId: row.nct_id,
                  eventId: row.event_id,
                  type: row.type,
                  streamVersion: row.stream_version,
                  occurredAt: row.occurred_at.toISOString(),
                  materiality: row.materiality_detail,
                },
              ] as const,
            ]
          : [],
      ),
    );
  }
}
