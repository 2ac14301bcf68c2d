import { Query } from '@nestjs/cqrs';

export interface ProjectionStatus {
  name: string;
  checkpoint: { transactionId: string; globalPosition: string };
  /** Events in the store the projection has not applied yet. */
  lagEvents: number;
  /** How long the oldest unapplied event has waited, in seconds (0 when caught up). */
  lagSeconds: number;
  updatedAt: string | null;
}

export class GetProjectionStatusQuery extends Query<ProjectionStatus[]> {}
