import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DOMAIN_EVENT_TYPES, MATERIALITY_TIERS, type MaterialityTier } from '@app/domain';
import { trimmedOrAbsent } from '../form-params.js';

/** The filters of the recent-changes page, as its form sends them. */
export class RecentChangesParams {
  @IsOptional()
  @Transform(trimmedOrAbsent)
  @IsIn(DOMAIN_EVENT_TYPES as unknown as string[], {
    message: 'type must be one of the event types listed in the form',
  })
  type?: string;

  @IsOptional()
  @Transform(trimmedOrAbsent)
  @IsString()
  @MaxLength(200)
  sponsor?: string;

  @IsOptional()
  @Transform(trimmedOrAbsent)
  @IsString()
  @MaxLength(200)
  condition?: string;

  @IsOptional()
  @Transform(trimmedOrAbsent)
  @IsIn(MATERIALITY_TIERS as unknown as string[], {
    message: `minMateriality must be one of ${MATERIALITY_TIERS.join(', ')}`,
  })
  minMateriality?: MaterialityTier;

  @IsOptional()
  @Matches(/^\d{1,20}\.\d{1,20}$/, { message: 'before must be a cursor from an "Older changes" link' })
  before?: string;
}
