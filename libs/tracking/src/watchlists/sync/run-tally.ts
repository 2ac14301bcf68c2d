import { isDomainError } from '@app/domain';
import type { Ingestion, LoggedOutcome } from '../../ingestion/index.js';
import type { RunCounts } from '../watchlist-store.js';
import type { RunError, RunStatus, WatchlistRun } from '../watchlist.js';

export const NO_COUNTS: Readonly<RunCounts> = {
  studiesFetched: 0,
  appended: 0,
  learned: 0,
  unchanged: 0,
  stale: 0,
  rejected: 0,
  eventsAppended: 0,
};

/** What these ingestion outcomes add to a run's counts. */
export const countsOfOutcomes = (outcomes: readonly LoggedOutcome[]): RunCounts => {
  const counts = { ...NO_COUNTS };
  for (const { status, results } of outcomes) {
    if (
      status === 'appended' ||
      status === 'learned' ||
      status === 'unchanged' ||
      status === 'stale' ||
      status === 'rejected'
    ) {
      counts[status] += 1;
    }
    counts.eventsAppended += results.reduce((sum, trial) => sum + trial.events.length, 0);
  }
  return counts;
};

/** The error a run reports of an ingestion: rejected, or failed (its trial's stream unreadable); null when it went through. */
export const runErrorOfOutcome = ({ id, status, error }: LoggedOutcome): RunError | null => {
  if (status === 'rejected' && error) return { scope: `ingestion ${id}`, code: error.code, message: error.message };
  // A snapshot that could not be decided is one trial's error: the run is partial.
  if (status === 'failed') {
    return {
      scope: `ingestion ${id}`,
      code: error?.code ?? 'ingestion.failed',
      message: `${error?.message ?? 'the snapshot could not be ingested'} (retry it with POST /ingestions/${id}/retry)`,
    };
  }
  return null;
};

/** What a run did so far: its counts, errors and notes (those of a worker that died running it too). */
export type RunRecord = RunCounts & Readonly<Partial<Pick<WatchlistRun, 'errors' | 'notes'>>>;

/**
 * What a run did, counted as it goes: from what it had counted and recorded already when it is taken
 * up again. The same error or note twice (the earlier worker's, asked again) is recorded once.
 */
export class RunTally {
  readonly counts: RunCounts;
  readonly errors: RunError[] = [];
  readonly notes: string[] = [];
  /** Errors and notes not yet written to the run's row (see `unsaved`). */
  private unsavedErrors: RunError[] = [];
  private unsavedNotes: string[] = [];
  /** Whether anything was asked of any source. */
  worked = false;
  /** Every trial the run's ingestions were about: the watchlist's members from now on. */
  readonly trials = new Set<string>();
  /** Errors of the run as a whole (a source that could not be read), as opposed to one trial's. */
  private runErrors = 0;

  constructor(earlier: Readonly<RunRecord> = NO_COUNTS) {
    this.counts = { ...NO_COUNTS };
    this.add(earlier);
    this.errors.push(...(earlier.errors ?? []));
    this.notes.push(...(earlier.notes ?? []));
  }

  /** What the run decided not to do, or did on the way, and why. */
  note(text: string): void {
    if (this.notes.includes(text)) return;
    this.notes.push(text);
    this.unsavedNotes.push(text);
  }

  /** The errors and notes recorded since the last call: the caller writes them to the run's row. */
  unsaved(): { errors: RunError[]; notes: string[] } {
    const unsaved = { errors: this.unsavedErrors, notes: this.unsavedNotes };
    this.unsavedErrors = [];
    this.unsavedNotes = [];
    return unsaved;
  }

  add(counts: Readonly<RunCounts>): void {
    for (const key of Object.keys(NO_COUNTS) as (keyof RunCounts)[]) this.counts[key] += counts[key];
  }

  /**
   * An ingestion of the run, its error (if any) written to the run's row already: in the transaction
   * that logged it, with its counts (`runErrorOfOutcome`).
   */
  ingested(ingestion: Ingestion): void {
    this.worked = true;
    for (const nctId of ingestion.nctIds) this.trials.add(nctId);
    this.add(countsOfOutcomes([ingestion]));
    const error = runErrorOfOutcome(ingestion);
    if (error) this.error(error, { saved: true });
  }

  /** The run could not read a source: with nothing else done, the run failed. */
  fail(scope: string, error: unknown): void {
    this.runErrors += 1;
    this.record(scope, error);
  }

  /** A document refused before ingestion (too large), not kept: rejected, an error of its trial alone. */
  refused(scope: string, error: unknown): void {
    this.counts.rejected += 1;
    this.record(scope, error);
  }

  /** One trial could not be had (not in the registry, its history unavailable): the rest of the run goes on. */
  trialFailed(scope: string, error: unknown): void {
    this.record(scope, error);
  }

  private record(scope: string, error: unknown): void {
    this.error({
      scope,
      code: isDomainError(error) ? error.code : 'internal',
      message: error instanceof Error ? error.message : String(error),
    });
  }

  private error(error: RunError, { saved = false } = {}): void {
    const same = (other: RunError) =>
      other.scope === error.scope && other.code === error.code && other.message === error.message;
    if (this.errors.some(same)) return;
    this.errors.push(error);
    if (!saved) this.unsavedErrors.push(error);
  }

  status(): RunStatus {
    const progressed =
      this.counts.studiesFetched > 0 ||
      this.counts.appended + this.counts.learned + this.counts.unchanged + this.counts.stale > 0;
    if (this.errors.length === 0) return this.worked ? 'succeeded' : 'skipped';
    // Errors of single trials only: the run did the rest, so it is partial, never failed.
    if (this.runErrors === 0) return 'partial';
    return progressed ? 'partial' : 'failed';
  }
}
