import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { DOMAIN_EVENT_TYPES, MATERIALITY_TIERS, type MaterialityTier } from '@app/domain';
import type { ChangeFeedFilter } from './get-change-feed.query.js';
import { commaList } from '../../shared/query-params.js';

/** The filters the change feed, its live stream and its feeds share. */
export class ChangeFilterParams {
  @ApiPropertyOptional({ description: 'Event types, comma-separated: changes of any of them', type: String })
  @IsOptional()
  @Transform(commaList)
  @IsIn(DOMAIN_EVENT_TYPES as unknown as string[], {
    each: true,
    message: `types must be event types: ${DOMAIN_EVENT_TYPES.join(', ')}`,
  })
  types?: string[];

  @ApiPropertyOptional({ description: 'NCT IDs, comma-separated, in any letter case', type: String })
  @IsOptional()
  @Transform(commaList)
  @Matches(/^NCT\d{8}$/i, { each: true, message: 'nctId must be NCT IDs, comma-separated' })
  nctId?: string[];

  @ApiPropertyOptional({
    description:
      'Condition text, comma-separated: a trial matches when one of its conditions contains one, in any letter case',
    type: String,
  })
  @IsOptional()
  @Transform(commaList)
  condition?: string[];

  @ApiPropertyOptional({ description: 'Lead sponsor text, comma-separated, in any letter case', type: String })
  @IsOptional()
  @Transform(commaList)
  sponsor?: string[];

  @ApiPropertyOptional({ description: 'Phases, comma-separated: EARLY_PHASE1, PHASE1 to PHASE4, NA', type: String })
  @IsOptional()
  @Transform(commaList)
  @Matches(/^(EARLY_PHASE1|PHASE[1-4]|NA)$/i, {
    each: true,
    message: 'phase must be EARLY_PHASE1, PHASE1 to PHASE4 or NA',
  })
  phase?: string[];

  @ApiPropertyOptional({
    description: 'Watchlist ids, comma-separated: changes of the trials they watch',
    type: String,
  })
  @IsOptional()
  @Transform(commaList)
  @IsUUID('all', { each: true, message: 'watchlist must be watchlist ids' })
  watchlist?: string[];

  @ApiPropertyOptional({ description: 'Only changes of at least this materiality', enum: MATERIALITY_TIERS })
  @IsOptional()
  @IsIn(MATERIALITY_TIERS as unknown as string[], {
    message: `minMateriality must be one of ${MATERIALITY_TIERS.join(', ')}`,
  })
  minMateriality?: MaterialityTier;
}

/** The feed's filters, read from a place in it: what its exports take. */
export class ChangeExportParams extends ChangeFilterParams {
  @ApiPropertyOptional({ description: 'Read after this cursor (a nextCursor of an earlier page)' })
  @IsOptional()
  @Matches(/^\d+\.\d+$/, { message: 'after must be a cursor returned by a previous page' })
  after?: string;
}

/** A page of the feed. */
export class ChangeFeedParams extends ChangeExportParams {
  @ApiPropertyOptional({ description: 'How many per page', minimum: 1, maximum: 1000 })
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
