import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { HYGIENE_FLAGS, type HygieneFlag, RESULTS_DUE_STATES, type ResultsDueState } from '@app/domain';
import { OVERALL_STATUSES as REGISTRY_STATUSES } from '@app/registry-formats';
import { IsCalendarDay } from '../../shared/query-params.js';
import { trimmedOrAbsent } from '../form-params.js';

const STUDY_STATUSES = [
  'NOT_YET_RECRUITING',
  'RECRUITING',
  'ENROLLING_BY_INVITATION',
  'ACTIVE_NOT_RECRUITING',
  'SUSPENDED',
  'TERMINATED',
  'COMPLETED',
  'WITHDRAWN',
  'UNKNOWN',
];

/** Every overall status the registry gives, a study's in the order of its life, then an expanded-access programme's. */
export const OVERALL_STATUSES: readonly string[] = [
  ...STUDY_STATUSES,
  ...REGISTRY_STATUSES.filter((status) => !STUDY_STATUSES.includes(status)),
];

export const PHASES = ['EARLY_PHASE1', 'PHASE1', 'PHASE2', 'PHASE3', 'PHASE4', 'NA'] as const;

/** The search form's fields; `nctId` is the header's box, which goes straight to the trial. */
export class TrialSearchParams {
  @IsOptional()
  @IsString()
  @MaxLength(40)
  nctId?: string;

  @IsOptional()
  @Transform(trimmedOrAbsent)
  @IsString()
  @MaxLength(200)
  q?: string;

  @IsOptional()
  @Transform(trimmedOrAbsent)
  @IsIn(OVERALL_STATUSES as string[], {
    message: `status must be one of ${OVERALL_STATUSES.join(', ')}`,
  })
  status?: string;

  @IsOptional()
  @Transform(trimmedOrAbsent)
  @IsIn(PHASES as unknown as string[], { message: `phase must be one of ${PHASES.join(', ')}` })
  phase?: string;

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
  @IsString()
  @MaxLength(100)
  secondaryId?: string;

  @IsOptional()
  @Transform(trimmedOrAbsent)
  @IsIn(RESULTS_DUE_STATES as unknown as string[], {
    message: `resultsDue must be one of ${RESULTS_DUE_STATES.join(', ')}`,
  })
  resultsDue?: ResultsDueState;

  @IsOptional()
  @Transform(trimmedOrAbsent)
  @IsIn(HYGIENE_FLAGS as unknown as string[], { message: `hygiene must be one of ${HYGIENE_FLAGS.join(', ')}` })
  hygiene?: HygieneFlag;

  @IsOptional()
  @Transform(trimmedOrAbsent)
  @IsCalendarDay('on must be a date as YYYY-MM-DD')
  on?: string;

  @IsOptional()
  @Matches(/^NCT\d{8}$/, { message: 'cursor must come from a "Next page" link' })
  cursor?: string;
}
