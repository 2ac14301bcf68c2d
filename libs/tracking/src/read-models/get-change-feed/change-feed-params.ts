import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { DOMAIN_EVENT_TYPES, MATERIALITY_TIERS, type MaterialityTier } from '@app/domain';
import type { ChangeFeedFilter } from './get-change-feed.query.js';
import { commaList } from '../../shared/query-params.js';

/** The filters the change feed, its live stream and its feeds share. */
export class ChangeFilterParams {
  @IsOptional()
  @Transform(commaList)
  @IsIn(DOMAIN_EVENT_TYPES as unknown as string[], {
    each: true,
    message: `types must be event types: ${DOMAIN_EVENT_TYPES.join(', ')}`,
  })
  types?: string[];

  @IsOptional()
  @Transform(commaList)
  @Matches(/^NCT\d{8}$/i, { each: true, message: 'nctId must be NCT IDs, comma-separated' })
  nctId?: string[];

  @IsOptional()
  @Transform(commaList)
  condition?: string[];

  @IsOptional()
  @Transform(commaList)
  sponsor?: string[];

  @IsOptional()
  @Transform(commaList)
  @Matches(/^(EARLY_PHASE1|PHASE[1-4]|NA)$/i, {
    each: true,
    message: 'phase must be EARLY_PHASE1, PHASE1 to PHASE4 or NA',
  })
  phase?: string[];

  @IsOptional()
  @Transform(commaList)
  @IsUUID('all', { each: true, message: 'watchlist must be watchlist ids' })
  watchlist?: string[];

  @IsOptional()
  @IsIn(MATERIALITY_TIERS as unknown as string[], {
    message: `minMateriality must be one of ${MATERIALITY_TIERS.join(', ')}`,
  })
  minMateriality?: MaterialityTier;
}

export class ChangeFeedParams extends ChangeFilterParams {
  @IsOptional()
  @Matches(/^\d+\.\d+$/, { message: 'after must be a cursor returned by a previous page' })
  after?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export const toChangeFeedFilter = (
  params: ChangeFilterParams,
  after: string | undefined,
  limit: number,
): ChangeFeedFilter => ({
  after,
  types: params.types,
  nctIds: params.nctId?.map((id) => id.toUpperCase()),
  conditions: params.condition,
  sponsors: params.sponsor,
  phases: params.phase?.map((phase) => phase.toUpperCase()),
  watchlistIds: params.watchlist?.map((id) => id.toLowerCase()),
  minMateriality: params.minMateriality,
  limit,
});
