import { Query } from '@nestjs/cqrs';
import type { DateStruct, HygieneFlag } from '@app/domain';

/** What the daily signal check needs to know of one trial, from its current state. */
export interface SignalInputs {
  nctId: string;
  /** The stream version the read model had reached: what the check decides on. */
  streamVersion: number;
  resultsDueDate: string | null;
  resultsReported: boolean;
  primaryCompletionDate: DateStruct | null;
  /** The day from which each hygiene flag holds. */
  hygieneFrom: Partial<Record<HygieneFlag, string>>;
}

export interface SignalInputsPage {
  trials: SignalInputs[];
  nextCursor: string | null;
}

/** The trials recorded by day `on` (an ISO date), with their hygiene flag days as their records stood then. */
export class GetSignalInputsQuery extends Query<SignalInputsPage> {
  constructor(
    readonly on: string,
    readonly after: string | null,
    readonly limit: number,
  ) {
    super();
  }
}
