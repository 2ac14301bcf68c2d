import { Query } from '@nestjs/cqrs';

export interface TrialEventView {
  eventId: string;
  type: string;
  schemaVersion: number;
  streamVersion: number;
  globalPosition: string;
  data: unknown;
  metadata: Record<string, unknown>;
  occurredAt: string;
  recordedAt: string;
}

export class GetTrialEventsQuery extends Query<{ nctId: string; streamVersion: number; events: TrialEventView[] }> {
  constructor(readonly nctId: string) {
    super();
  }
}
