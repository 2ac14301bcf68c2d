import { LRUCache } from 'lru-cache';

/**
 * What a projection folded of some streams, each at the stream version it was folded to, most recently
 * used kept. What a stream's events fold to at a version never changes (its events up to it are
 * committed and immutable), so an entry is right in any transaction that finds the stream at that
 * version, even one written by a batch that rolled back or by a rebuild; one at another version is
 * never given out. A hit spares the projection reading and folding the stream from the event store.
 */
export class VersionedStateCache<State> {
  private readonly entries: LRUCache<string, { version: number; state: State }> | null;

  /** `capacity`: how many streams to keep (0: none). */
  constructor(capacity: number) {
    this.entries = capacity > 0 ? new LRUCache({ max: capacity }) : null;
  }

  /** The stream's state at exactly this version, if kept. */
  get(streamKey: string, version: number): { state: State } | undefined {
    const entry = this.entries?.get(streamKey);
    return entry?.version === version ? { state: entry.state } : undefined;
  }

  set(streamKey: string, version: number, state: State): void {
    this.entries?.set(streamKey, { version, state });
  }

  /** Moves an entry on to a later version whose events change nothing it holds, if it is at `from`. */
  advance(streamKey: string, from: number, to: number): void {
    const entry = this.entries?.get(streamKey);
    if (entry?.version === from) entry.version = to;
  }

  get size(): number {
    return this.entries?.size ?? 0;
  }
}
