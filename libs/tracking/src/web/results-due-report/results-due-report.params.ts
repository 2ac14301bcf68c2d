import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { RESULTS_DUE_STATES, type ResultsDueState } from '@app/domain';
import { IsResultsDueCursor } from '../../read-models/index.js';
import { IsCalendarDay } from '../../shared/query-params.js';
import { trimmedOrAbsent } from '../form-params.js';

/** The filters of the results-due page and its CSV, as the form sends them. */
export class ResultsDueReportParams {
  @IsOptional()
  @Transform(trimmedOrAbsent)
  @IsIn(RESULTS_DUE_STATES as unknown as string[], {
    message: `state must be one of ${RESULTS_DUE_STATES.join(', ')}`,
  })
  state?: ResultsDueState;

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
  @IsResultsDueCursor('cursor must come from a "Next page" link')
  cursor?: string;
}
