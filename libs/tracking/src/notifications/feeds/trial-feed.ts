import type { QueryBus } from '@nestjs/cqrs';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { MATERIALITY_TIERS, type MaterialityTier } from '@app/domain';
import { GetRecentChangesQuery, TrialLookupQuery } from '../../read-models/index.js';
import { atomFeed } from './atom-feed.js';

export const FEED_ENTRIES = 100;

export class TrialFeedParams {
  @ApiPropertyOptional({ description: 'Only changes of at least this materiality', enum: MATERIALITY_TIERS })
  @IsOptional()
  @IsIn(MATERIALITY_TIERS as unknown as string[], {
    message: `minMateriality must be one of ${MATERIALITY_TIERS.join(', ')}`,
  })
  minMateriality?: MaterialityTier;
}

/** A trial's changes as an Atom feed, newest first; its ids and links under `baseUrl`. */
export const trialChangesFeed = async (
  queryBus: QueryBus,
  nctId: string,
  params: TrialFeedParams,
  baseUrl: string,
): Promise<string> => {
  await queryBus.execute(new TrialLookupQuery(nctId));
  const { changes } = await queryBus.execute(
    new GetRecentChangesQuery({ nctIds: [nctId], minMateriality: params.minMateriality, limit: FEED_ENTRIES }),
  );
  const title = changes[0]?.briefTitle;
  return atomFeed({
    id: `${baseUrl}/trials/${nctId}/changes.atom`,
    title: `${nctId}${title ? `: ${title}` : ''} — changes`,
    selfUrl: `${baseUrl}/trials/${nctId}/changes.atom`,
    alternateUrl: `${baseUrl}/trials/${nctId}/history`,
    baseUrl,
    entries: changes.map((change) => ({
      eventId: change.eventId,
      nctId: change.nctId,
      type: change.type,
      schemaVersion: change.schemaVersion,
      data: change.data,
      occurredAt: new Date(change.occurredAt),
      recordedAt: new Date(change.recordedAt),
      briefTitle: change.briefTitle,
    })),
  });
};
