import { Query } from '@nestjs/cqrs';

/** The version of a trial's stream; `trial.not-found` when trialwatch has no snapshot of it. */
export class TrialLookupQuery extends Query<number> {
  constructor(readonly nctId: string) {
    super();
  }
}
