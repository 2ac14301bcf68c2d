import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { baselineOf, decodeEvent, streamIdOf } from '@app/domain';
import { EventStore } from '@app/infrastructure';
import { TrialLookup } from '../lookup-trial/trial-lookup.js';
import { GetBaselineQuery, type TrialBaseline } from './get-baseline.query.js';

/** First registered versus current, folded from the trial's events. */
@QueryHandler(GetBaselineQuery)
export class GetBaselineHandler implements IQueryHandler<GetBaselineQuery> {
  constructor(
    private readonly eventStore: EventStore,
    private readonly lookup: TrialLookup,
  ) {}

  async execute({ nctId }: GetBaselineQuery): Promise<TrialBaseline> {
    await this.lookup.assertKnown(nctId);
    const stored = await this.eventStore.readStream(streamIdOf(nctId));
    const events = stored.flatMap((recorded) => {
      const event = decodeEvent(recorded);
      return event ? [{ event, occurredAt: recorded.occurredAt.toISOString() }] : [];
    });
    return {
      nctId,
      streamVersion: stored.at(-1)?.streamVersion ?? 0,
      fields: baselineOf(events) ?? [],
    };
  }
}
