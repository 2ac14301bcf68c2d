import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { CurrentStateRepository } from '../repositories/current-state.repository.js';
import { GetTrialTitlesQuery } from './get-trial-titles.query.js';

@QueryHandler(GetTrialTitlesQuery)
export class GetTrialTitlesHandler implements IQueryHandler<GetTrialTitlesQuery> {
  constructor(private readonly repository: CurrentStateRepository) {}

  execute({ nctIds }: GetTrialTitlesQuery): Promise<Map<string, string | null>> {
    return this.repository.titlesOf(nctIds);
  }
}
