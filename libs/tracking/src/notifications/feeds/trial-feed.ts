import type { QueryBus } from '@nestjs/cqrs';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { MATERIALITY_TIERS, type MaterialityTier } from '@app/domain';
import { GetRecentChangesQuery, TrialLookupQuery } from '../../read-models/index.js';
import { queryOf } from '../../shared/query-string.js';
import { atomFeed } from './atom-feed.js';

export const FEED_ENTRIES = 100;

/** A page of an Atom feed: the newest entries, or those before the cursor of a page's `next` link (RFC 5005). */
export class FeedPageParams {
  @ApiPropertyOptional({ description: "Older entries: the cursor in the `next` link of the feed's previous page" })
  @IsOptional()
  @Matches(/^\d+\.\d+$/, { message: "before must be the cursor of a feed page's next link" })
  before?: string;

  @ApiPropertyOptional({ description: `Entries per page (default ${FEED_ENTRIES})`, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 1000' })
  @Min(1, { message: 'limit must be a whole number from 1 to 1000' })
  @Max(1000, { message: 'limit must be a whole number from 1 to 1000' })
  limit?: number;
}

/** `url` with the page's parameters (each given one kept) and `before` for the next, older page. */
export const feedPageUrl = (url: string, params: Record<string, string | number | undefined>): string =>
  `${url}${queryOf(params)}`;

export class TrialFeedParams extends FeedPageParams {
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
  const limit = params.limit ?? FEED_ENTRIES;
  const { changes, olderCursor } = await queryBus.execute(
    new GetRecentChangesQuery({ nctIds: [nctId], minMateriality: params.minMateriality, limit, before: params.before }),
  );
  const title = changes[0]?.briefTitle;
  const url = `${baseUrl}/trials/${nctId}/changes.atom`;
  const page = { minMateriality: params.minMateriality, limit: params.limit };
  return atomFeed({
    id: url,
    title: `${nctId}${title ? `: ${title}` : ''} — changes`,
    selfUrl: feedPageUrl(url, { ...page, before: params.before }),
    nextUrl: olderCursor ? feedPageUrl(url, { ...page, before: olderCursor }) : undefined,
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
