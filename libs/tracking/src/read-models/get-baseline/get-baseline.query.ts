import { Query } from '@nestjs/cqrs';
import type { BaselineEntry } from '@app/domain';

export interface TrialBaseline {
  nctId: string;
  streamVersion: number;
  fields: BaselineEntry[];
}

export class GetBaselineQuery extends Query<TrialBaseline> {
  constructor(readonly nctId: string) {
    super();
  }
}
