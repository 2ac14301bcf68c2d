import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { HYGIENE_FLAGS, type HygieneFlag } from '@app/domain';
import { ISO_DAY, trimmedOrAbsent } from '../form-params.js';

/** The filters of the hygiene page and its CSV, as the form sends them. */
export class HygieneReportParams {
  @IsOptional()
  @Transform(trimmedOrAbsent)
  @IsIn(HYGIENE_FLAGS as unknown as string[], { message: `flag must be one of ${HYGIENE_FLAGS.join(', ')}` })
  flag?: HygieneFlag;

  @IsOptional()
  @Transform(trimmedOrAbsent)
  @IsString()
  @MaxLength(200)
  sponsor?: string;

  @IsOptional()
  @Transform(trimmedOrAbsent)
  @Matches(ISO_DAY, { message: 'on must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'on must be a date as YYYY-MM-DD' })
  on?: string;

  @IsOptional()
  @Matches(/^NCT\d{8}$/, { message: 'cursor must come from a "Next page" link' })
  cursor?: string;
}
