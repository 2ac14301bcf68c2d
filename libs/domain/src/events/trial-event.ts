/**
 * A domain event as `diff` produces it and the event store persists it: a stable `type` string
 * (never a class name, so renaming code never orphans stored events) and the version of its data schema.
 */
export interface TrialEvent<TType extends string, TData, TVersion extends number = 1> {
  readonly type: TType;
  readonly schemaVersion: TVersion;
  readonly data: TData;
}

/** Before and after of one value. */
export interface Change<T> {
  from: T | null;
  to: T | null;
}

/** Items that appeared in and disappeared from an unordered list. */
export interface ListChange<T> {
  added: T[];
  removed: T[];
}
