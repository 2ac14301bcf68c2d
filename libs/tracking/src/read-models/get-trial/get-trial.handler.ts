import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { foldRecorded, streamIdOf } from '@app/domain';
import { Database, EventStore } from '@app/infrastructure';
import { CurrentStateRepository } from '../repositories/current-state.repository.js';
import { trialFactsAt } from '../repositories/trial-facts-at.js';
import { TrialLookup } from '../lookup-trial/trial-lookup.js';
import { TrialNotFoundError } from '../trial-not-found.error.js';
import { GetTrialQuery, type TrialView } from './get-trial.query.js';

@QueryHandler(GetTrialQuery)
export class GetTrialHandler implements IQueryHandler<GetTrialQuery> {
  constructor(
    private readonly repository: CurrentStateRepository,
    private readonly eventStore: EventStore,
    private readonly lookup: TrialLookup,
    private readonly database: Database,
  ) {}

  async execute({ nctId, asOf }: GetTrialQuery): Promise<TrialView> {
    if (asOf) return this.asOf(nctId, asOf);
    const row = await this.repository.find(nctId);
    // The read model may lag just behind an append; the stream is the truth.
    if (!row) return this.fold(nctId, undefined);
    const state = (await trialFactsAt(this.eventStore, this.database, [[nctId, row.stream_version]])).get(nctId);
    if (!state) return this.fold(nctId, undefined);
    return {
      nctId,
      streamVersion: row.stream_version,
      asOf: 'current',
      state,
      registeredAt: row.registered_at.toISOString(),
      lastChange: {
        type: row.last_event_type,
        occurredAt: row.last_changed_at.toISOString(),
        recordedAt: row.last_recorded_at.toISOString(),
        streamVersion: row.stream_version,
      },
    };
  }

  private async asOf(nctId: string, date: string): Promise<TrialView> {
    const view = await this.fold(nctId, `${date}T23:59:59.999Z`);
    return { ...view, asOf: date };
  }

  private async fold(nctId: string, occurredUpTo: string | undefined): Promise<TrialView> {
    const events = await this.eventStore.readStream(streamIdOf(nctId), { occurredUpTo });
    // A read, as every read model: an event of a later trialwatch is skipped, not a reason to answer nothing.
    const state = foldRecorded(events);
    if (!state) {
      // Only when nothing was found: is the trial unknown, or not registered yet on that day?
      await this.lookup.assertKnown(nctId);
      if (occurredUpTo) {
        throw new TrialNotFoundError(nctId, `${nctId} had not been registered yet on ${occurredUpTo.slice(0, 10)}`);
      }
      throw new TrialNotFoundError(nctId);
    }
    const first = events[0]!;
    const last = events[events.length - 1]!;
    return {
      nctId,
      streamVersion: last.streamVersion,
      asOf: 'current',
      state,
      registeredAt: first.occurredAt.toISOString(),
      lastChange: {
        type: last.type,
        occurredAt: last.occurredAt.toISOString(),
        recordedAt: last.recordedAt.toISOString(),
        streamVersion: last.streamVersion,
      },
    };
  }
}
