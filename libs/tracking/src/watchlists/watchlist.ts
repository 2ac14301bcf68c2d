import { CronExpressionParser } from 'cron-parser';
import { DomainError, isNctId } from '@app/domain';
import { reservedSearchParameter } from '@app/ctgov-client';

export interface Schedule {
  /** Cron expression, five fields (minute first) or six (seconds first). */
  cron: string;
  /** IANA time zone the cron expression is read in. */
  timeZone: string;
}

export const DEFAULT_SCHEDULE: Schedule = { cron: '0 6 * * *', timeZone: 'UTC' };

export interface Watchlist {
  id: string;
  name: string;
  nctIds: string[];
  /** ClinicalTrials.gov API v2 query parameters (query.cond, query.spons, filter.overallStatus, ...), or null. */
  search: Record<string, string> | null;
  /** Registry pages fetched on the same schedule. */
  pageUrls: string[];
  schedule: Schedule;
  /** Import past versions of trials when they are first watched. */
  backfillHistory: boolean;
  lastSuccessfulSyncAt: string | null;
  lastDataTimestamp: string | null;
  createdAt: string;
  updatedAt: string;
}

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'partial' | 'failed' | 'skipped';

export interface RunError {
  scope: string;
  code: string;
  message: string;
}

export interface WatchlistRun {
  id: string;
  watchlistId: string;
  trigger: 'schedule' | 'manual';
  status: RunStatus;
  queuedAt: string;
  startedAt: string | null;
  endedAt: string | null;
  /** What the run asked the registry for. */
  requested: Record<string, unknown>;
  studiesFetched: number;
  appended: number;
  /** Snapshots that only taught trialwatch facts (no registry change). */
  learned: number;
  unchanged: number;
  stale: number;
  rejected: number;
  eventsAppended: number;
  errors: RunError[];
  /** What the run decided not to do, and why (skipped because nothing changed, aliases followed, backfills). */
  notes: string[];
}

/**
 * What the registry said of a watched trial: `found`, `not-found` (it never knew this ID), `removed`
 * (trialwatch knew the trial, the registry no longer has it), or `unknown` (not asked yet).
 */
export type RegistryState = 'unknown' | 'found' | 'not-found' | 'removed';

export type BackfillStatus = 'pending' | 'done' | 'failed';

/** A trial's history backfill: pending until done; a failed one is tried again by the next run. */
export interface Backfill {
  status: BackfillStatus;
  /** Past versions imported, once done. */
  versions: number;
  attempts: number;
  lastAttemptAt: string | null;
  /** Why the last attempt failed. */
  lastError: string | null;
}

/** A trial a watchlist names, as the watchlist knows it. */
export interface WatchedTrial {
  nctId: string;
  /** When this watchlist first got the trial's record in full; until then its runs ask for it without the date window. */
  fetchedInFullAt: string | null;
  registryState: RegistryState;
  lastFoundAt: string | null;
  /** Since when the registry has not had it. */
  missingSince: string | null;
  /** Its history backfill, when a watchlist asked for one. */
  backfill: Backfill | null;
}

export const isFinalRun = (status: RunStatus): boolean => !['queued', 'running'].includes(status);

export class InvalidWatchlistError extends DomainError {
  readonly code = 'watchlist.invalid';
  readonly kind = 'invalid' as const;
}

export class WatchlistNotFoundError extends DomainError {
  readonly code = 'watchlist.not-found';
  readonly kind = 'not-found' as const;
  constructor(idOrName: string) {
    super(`No watchlist with id or name "${idOrName}"`, { watchlist: idOrName });
  }
}

/**
 * The watchlist was deleted while a run of it was waited on: a run under way stopped, a queued one
 * never starts; either way its record went with the watchlist. `run` is the run as last seen.
 */
export class WatchlistDeletedDuringRunError extends DomainError {
  readonly code = 'watchlist.deleted-during-run';
  readonly kind = 'not-found' as const;
  constructor(name: string, run: Pick<WatchlistRun, 'id' | 'status'>) {
    super(
      run.status === 'queued'
        ? `Watchlist "${name}" was deleted while its run ${run.id} was queued: the run went with the watchlist and will not start`
        : `Watchlist "${name}" was deleted while its run ${run.id} was under way: the run stopped, and went with the watchlist (what it had ingested is kept)`,
      { watchlist: name, runId: run.id },
    );
  }
}

export class WatchlistNameTakenError extends DomainError {
  readonly code = 'watchlist.name-taken';
  readonly kind = 'conflict' as const;
  constructor(name: string) {
    super(`A watchlist named "${name}" already exists`, { name });
  }
}

/**
 * A watchlist some subscription's filter names: deleted, it would leave those subscriptions matching
 * nothing, ever, without a word to their receivers. Their filters change (or they go) first.
 */
export class WatchlistInUseError extends DomainError {
  readonly code = 'watchlist.in-use';
  readonly kind = 'conflict' as const;
  constructor(watchlistId: string, subscriptions: readonly { id: string; name: string | null }[]) {
    super(
      `Watchlist ${watchlistId} is in the filter of ${subscriptions.length} subscription${subscriptions.length === 1 ? '' : 's'}: ` +
        subscriptions.map(({ id, name }) => (name ? `${id} ("${name}")` : id)).join(', ') +
        `. Take it out of their filters (PATCH /subscriptions/{id}) or delete them, then delete the watchlist`,
      { watchlistId, subscriptionIds: subscriptions.map(({ id }) => id) },
    );
  }
}

/** A watched trial trialwatch knew that the registry no longer has: a per-trial error of the run. */
export class WatchedTrialRemovedError extends DomainError {
  readonly code = 'watchlist.trial-removed';
  readonly kind = 'not-found' as const;
  constructor(nctId: string, lastFoundAt: string | null) {
    super(
      `ClinicalTrials.gov no longer has ${nctId}${lastFoundAt ? ` (last found ${lastFoundAt})` : ''}: it is recorded as removed`,
      { nctId, lastFoundAt },
    );
  }
}

const SEARCH_PARAMETER = /^(query|filter|postFilter)\.[A-Za-z]+$|^aggFilters$|^geoDecay$/;

export interface WatchlistDefinition {
  name: string;
  nctIds: string[];
  search: Record<string, string> | null;
  pageUrls: string[];
  schedule: Schedule;
  backfillHistory: boolean;
}

/** Checks a definition as a whole and returns it canonical (upper-case, de-duplicated NCT IDs); every problem is listed. */
export const validateWatchlist = (definition: WatchlistDefinition): WatchlistDefinition => {
  const problems: string[] = [];
  const name = definition.name.trim();
  if (name === '' || name.length > 100) problems.push('name must be 1 to 100 characters');
  const nctIds = [...new Set(definition.nctIds.map((id) => id.trim().toUpperCase()))];
  const badIds = nctIds.filter((id) => !isNctId(id));
  if (badIds.length > 0) problems.push(`not NCT IDs: ${badIds.join(', ')}`);
  for (const [key, value] of Object.entries(definition.search ?? {})) {
    if (!SEARCH_PARAMETER.test(key))
      problems.push(`search parameter "${key}" is not an API v2 query parameter (query.*, filter.*, postFilter.*)`);
    if (typeof value !== 'string' || value.trim() === '')
      problems.push(`search parameter "${key}" needs a non-empty value`);
    const reserved = reservedSearchParameter(key);
    if (reserved) problems.push(`search parameter "${key}" is set by trialwatch: ${reserved}`);
  }
  for (const url of definition.pageUrls) {
    try {
      if (!['http:', 'https:'].includes(new URL(url).protocol)) problems.push(`page URL ${url} must be http or https`);
    } catch {
      problems.push(`page URL ${url} is not a URL`);
    }
  }
  const search = definition.search && Object.keys(definition.search).length > 0 ? definition.search : null;
  if (nctIds.length === 0 && !search && definition.pageUrls.length === 0) {
    problems.push('a watchlist needs NCT IDs, a search, or page URLs');
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: definition.schedule.timeZone });
  } catch {
    problems.push(`time zone "${definition.schedule.timeZone}" is not an IANA time zone such as Europe/Paris`);
  }
  try {
    CronExpressionParser.parse(definition.schedule.cron, { tz: 'UTC' });
    if (!/^\S+(\s+\S+){4,5}$/.test(definition.schedule.cron.trim())) throw new Error('expected 5 or 6 fields');
  } catch (error) {
    problems.push(`cron "${definition.schedule.cron}" is not a cron expression: ${(error as Error).message}`);
  }
  if (problems.length > 0) throw new InvalidWatchlistError(`Invalid watchlist: ${problems.join('; ')}`, { problems });
  return {
    ...definition,
    name,
    nctIds,
    search,
    schedule: { cron: definition.schedule.cron.trim(), timeZone: definition.schedule.timeZone },
  };
};
