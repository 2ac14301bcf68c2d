import type { Sql, StoredEvent } from '@app/infrastructure';

/** Physical table names for a projection's logical tables: the live ones, or shadows during a rebuild. */
export type TableNames<Logical extends string = string> = Record<Logical, string>;

/**
 * A read model derived from the event store. `apply` receives events in commit order, in the same
 * transaction that advances the projection's checkpoint, and must be idempotent: applying an event
 * twice leaves the read model as applying it once.
 */
export interface Projection<Logical extends string = string> {
  readonly name: string;
  /** Logical table name -> live table name. */
  readonly tables: TableNames<Logical>;
  /** Whether `apply` reads event data and metadata, or only the envelope (type, stream, positions, dates). */
  readonly needsPayload: boolean;
  /** Of events whose data carries facts (a registration, learned facts), the only facts `apply` reads. */
  readonly payloadFacts?: readonly string[];
  /** Event types whose data and metadata `apply` does not read: they come as envelopes (data null). */
  readonly envelopeOnlyTypes?: readonly string[];
  /**
   * Whether `apply` makes the same rows when given whole streams one after another as when given the
   * global commit order: each stream's rows come from its own events alone, in stream order. A rebuild
   * of such a projection reads the store stream by stream and writes each stream's rows once.
   */
  readonly rebuildsStreamByStream?: boolean;
  apply(sql: Sql, events: readonly StoredEvent[], tables: TableNames<Logical>): Promise<void>;
}
