import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { streamIdOf } from '@app/domain';
import { EventStore } from '@app/infrastructure';
import { TrialLookup } from '../lookup-trial/trial-lookup.js';
import { GetTrialEventsQuery } from './get-trial-events.query.js';

@QueryHandler(GetTrialEventsQuery)
export class GetTrialEventsHandler implements IQueryHandler<GetTrialEventsQuery> {
  constructor(
    private readonly eventStore: EventStore,
    private readonly lookup: TrialLookup,
  ) {}

  async execute({ nctId }: GetTrialEventsQuery) {
    const streamVersion = await this.lookup.assertKnown(nctId);
    const events = await this.eventStore.readStream(streamIdOf(nctId));
    return {
      nctId,
      streamVersion,
      events: events.map((event) => ({
        eventId: event.eventId,
        type: event.type,
        schemaVersion: event.schemaVersion,
        streamVersion: event.streamVersion,
        globalPosition: event.globalPosition,
        data: event.data,
        metadata: event.metadata,
        occurredAt: event.occurredAt.toISOString(),
        recordedAt: event.recordedAt.toISOString(),
      })),
    };
  }
}
