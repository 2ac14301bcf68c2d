import { Query } from '@nestjs/cqrs';

export interface FieldHistoryEntry {
  field: string;
  from: unknown;
  to: unknown;
  eventType: string;
  /** Knowledge trialwatch gained (`trial.facts-learned`), not a change the registry made. */
  learned: boolean;
  eventId: string;
  streamVersion: number;
  occurredAt: string;
  recordedAt: string;
}

export interface FieldHistory {
  nctId: string;
  field: string | null;
  order: 'newest' | 'oldest';
  changes: FieldHistoryEntry[];
}

export class GetFieldHistoryQuery extends Query<FieldHistory> {
  constructor(
    readonly nctId: string,
    readonly field: string | null,
    readonly order: 'newest' | 'oldest',
  ) {
    super();
  }
}
