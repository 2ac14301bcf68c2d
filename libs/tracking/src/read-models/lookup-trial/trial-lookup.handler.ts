import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { TrialLookup } from './trial-lookup.js';
import { TrialLookupQuery } from './trial-lookup.query.js';

@QueryHandler(TrialLookupQuery)
export class TrialLookupHandler implements IQueryHandler<TrialLookupQuery> {
  constructor(private readonly lookup: TrialLookup) {}

  execute({ nctId }: TrialLookupQuery): Promise<number> {
    return this.lookup.assertKnown(nctId);
  }
}
