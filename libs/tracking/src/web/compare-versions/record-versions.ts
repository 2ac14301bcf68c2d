import {
  DomainError,
  evolve,
  FACT_FIELDS,
  type FactField,
  fieldChangesOf,
  isKnown,
  isSignalEvent,
  type TrialState,
} from '@app/domain';
import { groupConsecutive, type RecordedChange, snapshotKey } from '../recorded-change.js';

/** One registry record as trialwatch stored it: the events it brought, ending at `version`. */
export interface RecordVersion {
  /** The stream version of the record's last event: what `from` and `to` name. */
  version: number;
  /** The stream version of its first event. */
  firstVersion: number;
  occurredAt: string;
  recordedAt: string;
  contentSha256: string | null;
}

export class TrialVersionNotFoundError extends DomainError {
  readonly code = 'trial.version-not-found';
  readonly kind = 'not-found' as const;
  constructor(nctId: string, version: number, latest: number) {
    super(`${nctId} has no version ${version}: its versions run from 1 to ${latest}`, { nctId, version });
  }
}

export type FieldComparison = 'changed' | 'learned' | 'unchanged';

export interface ComparedField {
  field: FactField;
  comparison: FieldComparison;
  from: unknown;
  to: unknown;
  /** Whether a record had shown the field by each side (a null it shows is none; one it does not, unknown). */
  fromKnown: boolean;
  toKnown: boolean;
}

export interface RecordComparison {
  from: RecordVersion;
  to: RecordVersion;
  fields: ComparedField[];
}

/** The trial's registry records; a finding of the daily check (results overdue, a hygiene flag) is none. */
export const recordVersionsOf = (changes: readonly RecordedChange[]): RecordVersion[] =>
  groupConsecutive(
    changes.filter((change) => !isSignalEvent(change.event.type)),
    snapshotKey,
  ).map((group) => ({
    version: group.at(-1)!.streamVersion,
    firstVersion: group[0]!.streamVersion,
    occurredAt: group[0]!.occurredAt,
    recordedAt: group[0]!.recordedAt,
    contentSha256: group[0]!.contentSha256,
  }));

/**
 * The record holding a stream version (any of its events' versions names it); the version of a daily
 * check's finding names the record in force when it was found, as the finding changed no field.
 */
const recordAt = (nctId: string, records: readonly RecordVersion[], latest: number, version: number): RecordVersion => {
  const record = version <= latest ? records.findLast((candidate) => candidate.firstVersion <= version) : undefined;
  if (!record) throw new TrialVersionNotFoundError(nctId, version, latest);
  return record;
};

const stateAt = (changes: readonly RecordedChange[], version: number): TrialState | null =>
  changes
    .filter((change) => change.streamVersion <= version)
    .reduce<TrialState | null>((state, change) => evolve(state, change.event), null);

/** `design.masking` and `locations.status` belong to the facts `design` and `locations`. */
const factOf = (field: string): string => field.split('.')[0]!;

/**
 * Two records of a trial field by field, the older first: a field differs either because the registry
 * changed it between them or because trialwatch only learned it (an earlier snapshot did not show it).
 */
export const compareRecords = (
  nctId: string,
  changes: readonly RecordedChange[],
  fromVersion: number,
  toVersion: number,
): RecordComparison => {
  const records = recordVersionsOf(changes);
  const latest = changes.at(-1)?.streamVersion ?? 0;
  const [older, newer] = [
    recordAt(nctId, records, latest, fromVersion),
    recordAt(nctId, records, latest, toVersion),
  ].sort((a, b) => a.version - b.version) as [RecordVersion, RecordVersion];
  const before = stateAt(changes, older.version);
  const after = stateAt(changes, newer.version);
  const between = changes
    .filter((change) => change.streamVersion > older.version && change.streamVersion <= newer.version)
    .flatMap((change) => fieldChangesOf(change.event));
  const fields = FACT_FIELDS.map((field): ComparedField => {
    const from = before?.[field] ?? null;
    const to = after?.[field] ?? null;
    const known = {
      fromKnown: before ? isKnown(before, field) : false,
      toKnown: after ? isKnown(after, field) : false,
    };
    if (JSON.stringify(from) === JSON.stringify(to)) return { field, comparison: 'unchanged', from, to, ...known };
    const touching = between.filter((change) => factOf(change.field) === field);
    const onlyLearned = touching.length > 0 && touching.every((change) => change.learned);
    return { field, comparison: onlyLearned ? 'learned' : 'changed', from, to, ...known };
  });
  return { from: older, to: newer, fields };
};
