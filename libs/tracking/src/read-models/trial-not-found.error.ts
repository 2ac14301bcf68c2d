import { DomainError } from '@app/domain';

export class TrialNotFoundError extends DomainError {
  readonly code = 'trial.not-found';
  readonly kind = 'not-found' as const;
  constructor(
    nctId: string,
    message = `trialwatch has no snapshot of ${nctId}: ingest one first (POST /snapshots or trialwatch ingest)`,
  ) {
    super(message, { nctId });
  }
}
