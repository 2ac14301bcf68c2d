import { type IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { HYGIENE_FLAGS, hygieneThresholdsOf, resultsDueOf, trialAsItStoodOn, streamIdOf } from '@app/domain';
import { EventStore } from '@app/infrastructure';
import { FindRegistryAbsencesQuery } from '@app/tracking/watchlists';
import { TrialLookup } from '../lookup-trial/trial-lookup.js';
import { CurrentStateRepository } from '../repositories/current-state.repository.js';
import { TrialNotFoundError } from '../trial-not-found.error.js';
import { GetTrialSignalsQuery, type TrialSignalsView } from './get-trial-signals.query.js';

/**
 * One trial's signals on a day, by the same rules as the reports: the trial's record as it stood that
 * day gives results due and the date-driven flags (none before trialwatch first recorded it), watchlist syncs whether the registry still has it,
 * and the other trials' records whether one of them took it over.
 */
@QueryHandler(GetTrialSignalsQuery)
export class GetTrialSignalsHandler implements IQueryHandler<GetTrialSignalsQuery> {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly repository: CurrentStateRepository,
    private readonly eventStore: EventStore,
    private readonly lookup: TrialLookup,
  ) {}

  async execute({ nctId, on }: GetTrialSignalsQuery): Promise<TrialSignalsView> {
    const day = on.slice(0, 10);
    const trial = trialAsItStoodOn(await this.eventStore.readStream(streamIdOf(nctId)), day);
    if (!trial) {
      await this.lookup.assertKnown(nctId);
      throw new TrialNotFoundError(nctId);
    }
    const { state, recordedThen } = trial;
    const [absences, mergedInto] = await Promise.all([
      this.queryBus.execute(new FindRegistryAbsencesQuery([nctId])) as Promise<Map<string, string>>,
      this.repository.mergedInto(nctId),
    ]);
    // As in the report: the date-driven flags of a day before trialwatch first recorded the trial are unknown.
    const from: Partial<Record<(typeof HYGIENE_FLAGS)[number], string>> = recordedThen
      ? hygieneThresholdsOf(state)
      : {};
    const goneSince = absences.get(nctId)?.slice(0, 10);
    if (goneSince) from['gone-from-registry'] = goneSince;
    const hygieneFlags = HYGIENE_FLAGS.flatMap((flag): TrialSignalsView['hygieneFlags'] => {
      if (flag === 'merged-into-another') return mergedInto ? [{ flag, since: null, mergedInto }] : [];
      const since = from[flag];
      return since !== undefined && since <= day ? [{ flag, since }] : [];
    });
    return { nctId: state.nctId, on: day, resultsDue: resultsDueOf(state, day), hygieneFlags };
  }
}
