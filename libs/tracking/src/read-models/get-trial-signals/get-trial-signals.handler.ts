import { type IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { HYGIENE_FLAGS, hygieneThresholdsOf, resultsDueOf } from '@app/domain';
import { FindRegistryAbsencesQuery } from '@app/tracking/watchlists';
import { GetTrialQuery, type TrialView } from '../get-trial/get-trial.query.js';
import { CurrentStateRepository } from '../repositories/current-state.repository.js';
import { GetTrialSignalsQuery, type TrialSignalsView } from './get-trial-signals.query.js';

/**
 * One trial's signals on a day, by the same rules as the reports: the trial's record gives results due
 * and the date-driven flags, watchlist syncs whether the registry still has it, and the other trials'
 * records whether one of them took it over.
 */
@QueryHandler(GetTrialSignalsQuery)
export class GetTrialSignalsHandler implements IQueryHandler<GetTrialSignalsQuery> {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly repository: CurrentStateRepository,
  ) {}

  async execute({ nctId, on }: GetTrialSignalsQuery): Promise<TrialSignalsView> {
    const day = on.slice(0, 10);
    const trial: TrialView = await this.queryBus.execute(new GetTrialQuery(nctId));
    const [absences, mergedInto] = await Promise.all([
      this.queryBus.execute(new FindRegistryAbsencesQuery([nctId])) as Promise<Map<string, string>>,
      this.repository.mergedInto(nctId),
    ]);
    const from: Partial<Record<(typeof HYGIENE_FLAGS)[number], string>> = hygieneThresholdsOf(trial.state);
    const goneSince = absences.get(nctId)?.slice(0, 10);
    if (goneSince) from['gone-from-registry'] = goneSince;
    const hygieneFlags = HYGIENE_FLAGS.flatMap((flag): TrialSignalsView['hygieneFlags'] => {
      if (flag === 'merged-into-another') return mergedInto ? [{ flag, since: null, mergedInto }] : [];
      const since = from[flag];
      return since !== undefined && since <= day ? [{ flag, since }] : [];
    });
    return { nctId: trial.nctId, on: day, resultsDue: resultsDueOf(trial.state, day), hygieneFlags };
  }
}
