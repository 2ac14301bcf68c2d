import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { MATERIALITY_TIERS, type MaterialityTier } from '@app/domain';
import { ISO_DAY, trimmedOrAbsent } from '../form-params.js';

/** What the dashboard's form sends: the day to look back to and how much a change must matter. */
export class WatchlistDashboardParams {
  @IsOptional()
  @Transform(trimmedOrAbsent)
  @Matches(ISO_DAY, { message: 'since must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'since must be a date as YYYY-MM-DD' })
  since?: string;

  @IsOptional()
  @Transform(trimmedOrAbsent)
  @IsIn(MATERIALITY_TIERS as unknown as string[], {
    message: `minMateriality must be one of ${MATERIALITY_TIERS.join(', ')}`,
  })
  minMateriality?: MaterialityTier;
}
