import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsCalendarDay } from '../../shared/query-params.js';
import { trimmedOrAbsent } from '../form-params.js';

/** The filters of the outcome-switching page and its CSV, as the form sends them. */
export class OutcomeSwitchingReportParams {
  @IsOptional()
  @Transform(trimmedOrAbsent)
  @IsCalendarDay('since must be a date as YYYY-MM-DD')
  since?: string;

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
  @Matches(/^NCT\d{8}$/, { message: 'cursor must come from a "Next page" link' })
  cursor?: string;
}
