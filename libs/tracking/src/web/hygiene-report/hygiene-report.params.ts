import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { HYGIENE_FLAGS, type HygieneFlag } from '@app/domain';
import { IsCalendarDay } from '../../shared/query-params.js';
import { trimmedOrAbsent } from '../form-params.js';

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
  @IsCalendarDay('on must be a date as YYYY-MM-DD')
  on?: string;

  @IsOptional()
  @Matches(/^NCT\d{8}$/, { message: 'cursor must come from a "Next page" link' })
  cursor?: string;
}
