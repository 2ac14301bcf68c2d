import { Query } from '@nestjs/cqrs';
import type { TrialState } from '@app/domain';

export interface TrialView {
  nctId: string;
  streamVersion: number;
  /** `current`, or the date the state was folded up to (`?asOf=`). */
  asOf: string;
  state: TrialState;
  registeredAt: string;
  lastChange: { type: string; occurredAt: string; recordedAt: string; streamVersion: number } | null;
}

/** A trial's current state, or its state as the registry showed it at the end of `asOf` (YYYY-MM-DD). */
export class GetTrialQuery extends Query<TrialView> {
  constructor(
    readonly nctId: string,
    readonly asOf?: string,
  ) {
    super();
  }
}
