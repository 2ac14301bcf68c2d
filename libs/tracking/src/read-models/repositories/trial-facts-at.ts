import { nctIdOfStream, stateAfterKept, streamIdOf, TRIAL_STATE_SCHEMA_VERSION, type TrialState } from '@app/domain';
import type { EventStore, Sql } from '@app/infrastructure';

/** Trials' facts as of given stream versions, folded from their streams (from their kept states). */
export const trialFactsAt = async (
  eventStore: EventStore,
  sql: Sql,
  versions: readonly (readonly [nctId: string, version: number])[],
): Promise<Map<string, TrialState>> => {
  if (versions.length === 0) return new Map();
  const streams = await eventStore.readStreamsAt(
    versions.map(([nctId]) => streamIdOf(nctId)),
    versions.map(([, version]) => version),
    TRIAL_STATE_SCHEMA_VERSION,
    sql,
  );
  const facts = new Map<string, TrialState>();
  for (const [streamId, { state, events }] of streams) {
    const folded = stateAfterKept(state, events);
    if (folded) facts.set(nctIdOfStream(streamId), folded);
  }
  return facts;
};
