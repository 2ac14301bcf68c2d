import { advance, decide, loadTrial, type SnapshotDecision, type TrialSnapshot } from '@app/domain';
import { parseSnapshots } from '@app/registry-formats';

/** The one trial a document holds, read as the api reads it, observed at `observedAt`. */
export const parseSnapshot = (content: string, observedAt = '2026-01-10T00:00:00.000Z'): TrialSnapshot =>
  parseSnapshots(content, { receivedAt: '2026-01-15T10:00:00.000Z', observedAt })[0] as TrialSnapshot;

/** Snapshots of one trial decided in turn from an empty stream, each decision applied, as the appender does. */
export const ingestAll = (snapshots: readonly TrialSnapshot[]): SnapshotDecision[] => {
  let trial = loadTrial(snapshots[0]!.nctId, []);
  return snapshots.map((snapshot) => {
    const decision = decide(trial, snapshot);
    trial = advance(trial, decision);
    return decision;
  });
};
