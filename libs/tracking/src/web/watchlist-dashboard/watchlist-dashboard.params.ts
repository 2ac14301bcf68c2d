import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { MATERIALITY_TIERS, type MaterialityTier } from '@app/domain';
import { IsCalendarDay } from '../../shared/query-params.js';
import { trimmedOrAbsent } from '../form-params.js';

/** What the dashboard's form sends: the day to look back to and how much a change must matter. */
export class WatchlistDashboardParams {
  @IsOptional()
  @Transform(trimmedOrAbsent)
  @IsCalendarDay('since must be a date as YYYY-MM-DD')
  since?: string;

  @IsOptional()
  @Transform(trimmedOrAbsent)
  @IsIn(MATERIALITY_TIERS as unknown as string[], {
    message: `minMateriality must be one of ${MATERIALITY_TIERS.join(', ')}`,
  })
  minMateriality?: MaterialityTier;
}
