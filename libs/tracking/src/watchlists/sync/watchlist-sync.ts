import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { createHash } from 'node:crypto';
import { isNctId, streamIdOf } from '@app/domain';
import {
  CtgovClient,
  CtgovHistoryClient,
  CtgovHistoryUnavailableError,
  CtgovStudyNotFoundError,
  type StudyPage,
} from '@app/ctgov-client';
import { APP_CONFIG, type AppConfig, Clock, Database, EventStore, redactPageUrl } from '@app/infrastructure';
import { assertSnapshotSize, parseSnapshots } from '@app/registry-formats';
import { IngestSnapshotsCommand } from '../../ingestion/index.js';
import type { Ingestion } from '../../ingestion/index.js';
import {
  isFinalRun,
  type WatchedTrial,
  WatchedTrialRemovedError,
  type Watchlist,
  WatchlistNotFoundError,
  type WatchlistRun,
} from '../watchlist.js';
import { WatchlistStore } from '../watchlist-store.js';
import { RegistryPageFetcher, RegistryPageFetchError } from './registry-page-fetcher.js';
import { countsOfOutcomes, NO_COUNTS, RunTally, runErrorOfOutcome } from './run-tally.js';

const DAY_MS = 86_400_000;

interface RegistryDocument {
  content: string;
  mediaType: string | null;
  source: 'ctgov-api-v2' | 'ctgov-history' | 'registry-page';
  /** What an error of this document names: its trial, the trial's history, or the page's URL. */
  scope: string;
  /** The registry's date for this version, when the document is a past version. */
  effectiveAt?: string;
  /** The trials it holds, as far as they are known before it is ingested. */
  nctIds: readonly string[];
}

/** The run under way: what its ingestions are correlated with, and what it records the trials it brings in under. */
interface Run {
  id: string;
  watchlistId: string;
  startedAt: string;
}

const nctIdOf = (study: Record<string, unknown>): string | null => {
  const protocol = study['protocolSection'] as { identificationModule?: { nctId?: unknown } } | undefined;
  const nctId = protocol?.identificationModule?.nctId;
  // A record whose NCT ID is none is not a trial the watchlist could bring in (its ingestion says why).
  return typeof nctId === 'string' && isNctId(nctId.toUpperCase()) ? nctId.toUpperCase() : null;
};

/** What a trial a run takes out of the watchlist no longer is, as the run's note says. */
const noLongerHeld = (watchlist: Watchlist): string =>
  watchlist.search && watchlist.pageUrls.length > 0
    ? 'Neither matched by the search nor listed by any of its pages any more'
    : watchlist.search
      ? 'No longer matched by the search'
      : watchlist.pageUrls.length > 0
        ? 'No longer listed by any of its pages'
        : 'No longer named, matched by a search or listed by a page of it';

/** A 64-bit advisory lock key per watchlist: at most one run of it at a time, across every worker. */
export const lockKeyOf = (watchlistId: string): string =>
  createHash('sha256').update(`watchlist:${watchlistId}`).digest().readBigInt64BE(0).toString();

/**
 * One sync of a watchlist: ask ClinicalTrials.gov for its trials (only those updated since the last
 * successful sync, less a day of overlap), import the past versions of newly watched trials when asked,
 * fetch its registry pages, and feed every document through the ingestion pipeline.
 */
@Injectable()
export class WatchlistSync {
  private readonly logger = new Logger(WatchlistSync.name);

  constructor(
    private readonly store: WatchlistStore,
    private readonly client: CtgovClient,
    private readonly history: CtgovHistoryClient,
    private readonly pages: RegistryPageFetcher,
    private readonly commandBus: CommandBus,
    private readonly database: Database,
    private readonly eventStore: EventStore,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The run as it ended; null when it is gone: its watchlist was deleted, before or while it ran. */
  async run(runId: string): Promise<WatchlistRun | null> {
    const queued = await this.store.getRun(runId);
    if (!queued || isFinalRun(queued.status)) return queued;
    const watchlist = await this.store.get(queued.watchlistId);
    await this.database.session(async (sql) => {
      const [lock] = await sql.query<{ acquired: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS acquired', [
        lockKeyOf(watchlist.id),
      ]);
      if (!lock?.acquired) {
        const now = this.clock.nowIso();
        await this.store.startRun(runId, {}, now);
        const notes = [...queued.notes, 'another run of this watchlist was in progress'];
        await this.store.finishRun(runId, 'skipped', queued.errors, notes, now);
        return;
      }
      try {
        await this.execute(queued, watchlist);
      } catch (error) {
        // Deleted meanwhile: the run's record went with it, and nothing of the run is left to record.
        if (!(error instanceof WatchlistNotFoundError)) throw error;
        this.logger.log(`Watchlist ${watchlist.name}: deleted while run ${runId} was under way; the run stopped`);
      } finally {
        await sql.query('SELECT pg_advisory_unlock($1::bigint)', [lockKeyOf(watchlist.id)]);
      }
    });
    return this.store.getRun(runId);
  }

  private async execute(queued: WatchlistRun, watchlist: Watchlist): Promise<void> {
    const runId = queued.id;
    const since = watchlist.lastSuccessfulSyncAt
      ? new Date(Date.parse(watchlist.lastSuccessfulSyncAt) - DAY_MS).toISOString().slice(0, 10)
      : null;
    const known = new Map(
      (await this.store.watchedTrials(watchlist.id, watchlist.nctIds)).map((trial) => [trial.nctId, trial]),
    );
    // First watched means first watched by this watchlist: a trial trialwatch already tracks (from a page,
    // another watchlist) is still asked for in full once, or the date window could hide its newer versions.
    const firstWatched = watchlist.nctIds.filter((id) => !known.get(id)?.fetchedInFullAt);
    const missing = (id: string) => ['not-found', 'removed'].includes(known.get(id)?.registryState ?? 'unknown');
    const backfills = await this.backfillsDue(watchlist, missing);
    const requested = {
      nctIds: watchlist.nctIds,
      search: watchlist.search,
      pageUrls: watchlist.pageUrls,
      lastUpdatePostedOnOrAfter: since,
      firstWatched,
      backfillHistory: watchlist.backfillHistory,
      backfills,
    };
    // A run taken up again (its worker died) keeps its start and what it asked for first, and goes on from
    // what it had counted and recorded: what it appended then stays appended, though asked again now it
    // is unchanged, and the errors and notes of then stay.
    const startedAt = await this.store.startRun(runId, requested, this.clock.nowIso());
    const tally = new RunTally(queued);
    const run: Run = { id: runId, watchlistId: watchlist.id, startedAt };
    if (queued.status === 'running') {
      tally.note('Taken up again after the worker running it stopped: its counts include what was done before');
      await this.keep(run, tally);
    }
    // The window of studies updated since the last sync holds only what changed in what the search matched
    // then: a search changed since is read whole, once.
    const searchChanged = since !== null && (await this.store.searchChangedSinceSync(watchlist.id));
    if (searchChanged) tally.note('The search changed since the last successful sync: it was read whole');
    let dataTimestamp: string | null = null;
    let dataUnchanged = false;
    let registryFailed = false;
    // What the search matches, once this run read its whole answer.
    let searchMatched: Set<string> | null = null;

    if (watchlist.nctIds.length > 0 || watchlist.search) {
      try {
        dataTimestamp = (await this.client.version()).dataTimestamp;
        // A search changed since the last successful sync is new work, whatever the registry's data did.
        const unchanged =
          since !== null &&
          !searchChanged &&
          watchlist.lastDataTimestamp !== null &&
          dataTimestamp <= watchlist.lastDataTimestamp;
        dataUnchanged = unchanged;
        // IDs the registry said it does not have are asked again only once its data has moved.
        const inFull = unchanged ? firstWatched.filter((id) => !missing(id)) : firstWatched;
        if (unchanged && inFull.length === 0 && backfills.length === 0) {
          tally.note(
            `ClinicalTrials.gov data unchanged since the last sync (dataTimestamp ${dataTimestamp}): nothing was asked`,
          );
        } else {
          searchMatched = await this.syncRegistry(
            watchlist,
            run,
            since,
            searchChanged ? null : since,
            unchanged,
            inFull,
            firstWatched,
            backfills,
            known,
            tally,
          );
        }
      } catch (error) {
        if (error instanceof WatchlistNotFoundError) throw error;
        registryFailed = true;
        tally.fail('clinicaltrials.gov', error);
        await this.keep(run, tally);
      }
    }
    // What the pages list, once this run read every one of them.
    const pageTrials = new Set<string>();
    let pagesRead = true;
    for (const url of watchlist.pageUrls) {
      try {
        const page = await this.pages.fetch(url);
        tally.worked = true;
        const nctIds = this.trialsOfPage(page.url, page.content);
        nctIds.forEach((nctId) => pageTrials.add(nctId));
        await this.ingestAll(
          [
            {
              content: page.content,
              mediaType: page.contentType,
              source: 'registry-page',
              scope: redactPageUrl(url),
              nctIds,
            },
          ],
          run,
          tally,
        );
      } catch (error) {
        if (error instanceof WatchlistNotFoundError) throw error;
        pagesRead = false;
        tally.fail(redactPageUrl(url), error);
        await this.keep(run, tally);
      }
    }

    await this.store.recordTrials(watchlist.id, [...tally.trials], startedAt);
    await this.takeOutUnheld(watchlist, searchMatched, pagesRead ? pageTrials : null, tally);
    const status = tally.status();
    await this.store.finishRun(runId, status, tally.errors, tally.notes, this.clock.nowIso());
    if (!registryFailed && status !== 'failed') {
      // A run that found the registry's data unchanged read no update window: the next window starts where
      // the last one read did, or versions the registry publishes late (dated days back) would fall before it.
      const syncedAt = dataUnchanged && watchlist.lastSuccessfulSyncAt ? watchlist.lastSuccessfulSyncAt : startedAt;
      await this.store.markSynced(watchlist.id, syncedAt, dataTimestamp, watchlist.search);
    }
    this.logger.log(`Watchlist ${watchlist.name}: run ${runId} ${status}`);
  }

  /**
   * Takes out of the watchlist the trials its runs brought in that nothing of it holds any more: not named
   * (nor the current NCT ID of one named), not matched by its search, listed by none of its pages (a page
   * taken out of the watchlist lists none). Only from whole answers: while the search was not read whole
   * (a request failed or came back short, or the registry's data had not moved) or a page could not be
   * read, none is taken out, for what the unread answer holds is not known.
   */
  private async takeOutUnheld(
    watchlist: Watchlist,
    searchMatched: Set<string> | null,
    pageTrials: Set<string> | null,
    tally: RunTally,
  ): Promise<void> {
    if (pageTrials === null || (watchlist.search !== null && searchMatched === null)) return;
    const named = await this.store.withCurrentIds(watchlist.nctIds);
    const takenOut = (await this.store.broughtIn(watchlist.id)).filter(
      (nctId) => !named.has(nctId) && !searchMatched?.has(nctId) && !pageTrials.has(nctId),
    );
    if (takenOut.length === 0) return;
    await this.store.takeOutTrials(watchlist.id, takenOut);
    tally.note(`${noLongerHeld(watchlist)}, taken out of the watchlist: ${takenOut.join(', ')}`);
  }

  /**
   * The named trials whose history backfill is not done (pending, or failed and tried again), when the
   * watchlist asks for history; trials the registry does not have wait until it has them again.
   */
  private async backfillsDue(watchlist: Watchlist, missing: (nctId: string) => boolean): Promise<string[]> {
    if (!watchlist.backfillHistory || watchlist.nctIds.length === 0) return [];
    const wanted = watchlist.nctIds.filter((id) => !missing(id));
    await this.store.requestBackfills(wanted);
    const due = await this.store.backfillsDue(wanted);
    return this.config.ctgov.historyEnabled ? due : [];
  }

  private async syncRegistry(
    watchlist: Watchlist,
    run: Run,
    since: string | null,
    searchSince: string | null,
    dataUnchanged: boolean,
    inFull: string[],
    firstWatched: string[],
    backfills: string[],
    known: Map<string, WatchedTrial>,
    tally: RunTally,
  ): Promise<Set<string> | null> {
    if (watchlist.backfillHistory && !this.config.ctgov.historyEnabled) {
      tally.note(
        'history backfill was asked for, but CTGOV_HISTORY_ENABLED is false: the backfills stay pending, and trials start at their current version',
      );
    }
    const waiting = backfills.length > 0 ? await this.backfill(backfills, run, tally) : new Set<string>();
    // A trial whose past versions are still to come is not fetched in full yet: they would be stale after it.
    const fetchNow = inFull.filter((id) => !waiting.has(id));

    const returned = new Set<string>();
    if (fetchNow.length > 0) {
      await this.ingestPages(this.client.studies({ nctIds: fetchNow }), run, tally, returned);
      await this.store.markFetchedInFull(
        watchlist.id,
        fetchNow.filter((id) => returned.has(id)),
        this.clock.nowIso(),
      );
    }
    // Trials this watchlist has had in full: only if updated since the last sync.
    const tracked = watchlist.nctIds.filter((id) => !firstWatched.includes(id));
    let absent: string[] = [];
    if (tracked.length > 0 && !dataUnchanged) {
      await this.ingestPages(
        this.client.studies({ nctIds: tracked, lastUpdatePostedOnOrAfter: since ?? undefined }),
        run,
        tally,
        returned,
      );
      // Not updated, or gone: a request for their IDs alone tells which.
      const quiet = tracked.filter((id) => !returned.has(id));
      const present = await this.client.presentIds(quiet);
      absent = quiet.filter((id) => !present.has(id));
      await this.store.markFound(
        watchlist.id,
        tracked.filter((id) => returned.has(id) || present.has(id)),
        this.clock.nowIso(),
      );
    }
    await this.fetchOneByOne(watchlist, run, [...fetchNow.filter((id) => !returned.has(id)), ...absent], known, tally);
    if (!watchlist.search || dataUnchanged) return null;
    const matched = new Set<string>();
    await this.ingestPages(
      this.client.studies({ search: watchlist.search, lastUpdatePostedOnOrAfter: searchSince ?? undefined }),
      run,
      tally,
      matched,
    );
    matched.forEach((nctId) => returned.add(nctId));
    // Read for what changed since: the NCT IDs alone of all it matches (a few small pages) tell what it still matches.
    if (searchSince !== null) {
      for await (const page of this.client.studies({ search: watchlist.search, fields: ['NCTId'] })) {
        for (const study of page.studies) {
          const nctId = nctIdOf(study);
          if (nctId) matched.add(nctId);
        }
      }
    }
    await this.syncLeftSearch(watchlist, since, run, tally, returned, matched, known);
    return matched;
  }

  /**
   * An ID that does not come back may be an alias of the trial's current NCT ID (ClinicalTrials.gov
   * answers 301), or a trial the registry does not (or no longer) have: one error of that trial.
   */
  private async fetchOneByOne(
    watchlist: Watchlist,
    run: Run,
    nctIds: string[],
    known: Map<string, WatchedTrial>,
    tally: RunTally,
  ): Promise<void> {
    for (const nctId of nctIds) {
      try {
        const study = await this.client.study(nctId);
        await this.fetched(run, tally, 1);
        if (study.redirectedFrom) {
          await this.store.recordAlias(study.redirectedFrom, study.nctId);
          tally.note(`${study.redirectedFrom} is now ${study.nctId} (alias recorded)`);
        }
        await this.ingestAll(
          [
            {
              content: JSON.stringify(study.document),
              mediaType: 'application/json',
              source: 'ctgov-api-v2',
              scope: study.nctId,
              nctIds: [study.nctId],
            },
          ],
          run,
          tally,
        );
        await this.store.markFetchedInFull(watchlist.id, [nctId], this.clock.nowIso());
      } catch (error) {
        if (!(error instanceof CtgovStudyNotFoundError)) throw error;
        await this.recordMissing(watchlist, run, nctId, known.get(nctId), error, tally);
      }
    }
  }

  /**
   * The trials the search brought in that it no longer matches (an update took them out of it: a status
   * filter, a condition removed; or the search changed), which the run takes out of the watchlist at its
   * end unless a page lists them. The update that took a trial out is asked for by ID first, or that change
   * would be missed; one the registry no longer has is an error of that trial, as for a trial the watchlist names.
   */
  private async syncLeftSearch(
    watchlist: Watchlist,
    since: string | null,
    run: Run,
    tally: RunTally,
    returned: Set<string>,
    matched: Set<string>,
    known: Map<string, WatchedTrial>,
  ): Promise<void> {
    const left = (await this.store.broughtIn(watchlist.id)).filter(
      (id) => !matched.has(id) && !watchlist.nctIds.includes(id),
    );
    if (left.length === 0) return;
    if (since !== null) {
      await this.ingestPages(
        this.client.studies({ nctIds: left, lastUpdatePostedOnOrAfter: since }),
        run,
        tally,
        returned,
      );
    }
    const quiet = left.filter((id) => !returned.has(id));
    const present = await this.client.presentIds(quiet);
    await this.fetchOneByOne(
      watchlist,
      run,
      quiet.filter((id) => !present.has(id)),
      known,
      tally,
    );
  }

  /** A trial the registry does not have: `removed` when it was known (found before, or tracked), else `not-found`. */
  private async recordMissing(
    watchlist: Watchlist,
    run: Run,
    nctId: string,
    trial: WatchedTrial | undefined,
    error: CtgovStudyNotFoundError,
    tally: RunTally,
  ): Promise<void> {
    const removed = (await this.isTracked(nctId)) || (trial?.lastFoundAt ?? null) !== null;
    await this.store.markMissing(watchlist.id, nctId, removed ? 'removed' : 'not-found', this.clock.nowIso());
    tally.trialFailed(nctId, removed ? new WatchedTrialRemovedError(nctId, trial?.lastFoundAt ?? null) : error);
    await this.keep(run, tally);
  }

  /** Whether trialwatch holds events of the trial. */
  private async isTracked(nctId: string): Promise<boolean> {
    return (await this.eventStore.streamVersions([streamIdOf(nctId)])).has(streamIdOf(nctId));
  }

  private async ingestPages(
    pages: AsyncGenerator<StudyPage>,
    run: Run,
    tally: RunTally,
    returned: Set<string>,
  ): Promise<void> {
    for await (const page of pages) {
      tally.worked = true;
      await this.fetched(run, tally, page.studies.length);
      for (const study of page.studies) {
        const nctId = nctIdOf(study);
        if (nctId) returned.add(nctId);
      }
      await this.ingestAll(
        page.studies.map((study) => ({
          content: JSON.stringify(study),
          mediaType: 'application/json',
          source: 'ctgov-api-v2',
          scope: nctIdOf(study) ?? 'clinicaltrials.gov',
          nctIds: [nctIdOf(study)].filter((nctId) => nctId !== null),
        })),
        run,
        tally,
      );
    }
  }

  /**
   * Past versions, oldest first, each dated by the registry. Each trial's backfill is recorded done, or
   * failed with its error (and tried again by the next run). A trial trialwatch already tracks gets the
   * versions after the one it holds; older ones are stale, since a stream only grows at its end. Returns
   * the trials trialwatch does not track yet whose history failed for a passing reason (a request that
   * still failed after its retries): their current version waits for their past ones, tried again next run.
   */
  private async backfill(nctIds: string[], run: Run, tally: RunTally): Promise<Set<string>> {
    const waiting = new Set<string>();
    for (const nctId of nctIds) {
      try {
        const versions = await this.history.versions(nctId);
        const documents: RegistryDocument[] = [];
        for (const version of versions) {
          const document = await this.history.version(nctId, version.version);
          await this.fetched(run, tally, 1);
          documents.push({
            content: JSON.stringify(document),
            mediaType: 'application/json',
            source: 'ctgov-history',
            scope: `history of ${nctId}`,
            effectiveAt: `${version.date.slice(0, 10)}T00:00:00.000Z`,
            nctIds: [nctId],
          });
        }
        await this.ingestAll(documents, run, tally);
        await this.store.recordBackfillAttempt(
          nctId,
          { status: 'done', versions: versions.length },
          this.clock.nowIso(),
        );
        tally.note(`${nctId}: imported ${versions.length} past versions`);
        await this.keep(run, tally);
      } catch (error) {
        if (error instanceof WatchlistNotFoundError) throw error;
        await this.store.recordBackfillAttempt(
          nctId,
          { status: 'failed', error: error instanceof Error ? error.message : String(error) },
          this.clock.nowIso(),
        );
        tally.trialFailed(`history of ${nctId}`, error);
        if (!(error instanceof CtgovHistoryUnavailableError) && !(await this.isTracked(nctId))) {
          waiting.add(nctId);
          tally.note(`${nctId}: its current version waits until its past versions are imported`);
        }
        await this.keep(run, tally);
      }
    }
    return waiting;
  }

  /** Studies fetched, counted in the run's row as they come, so a run taken up again goes on from them. */
  private async fetched(run: Run, tally: RunTally, studies: number): Promise<void> {
    tally.counts.studiesFetched += studies;
    await this.store.addToRunCounts(run.id, { ...NO_COUNTS, studiesFetched: studies });
    await this.keep(run, tally);
  }

  /** Errors and notes written to the run's row as they come, so a run taken up again still reports them. */
  private async keep(run: Run, tally: RunTally): Promise<void> {
    const { errors, notes } = tally.unsaved();
    await this.store.addToRunRecords(run.id, errors, notes);
  }

  /**
   * The trials a fetched page holds. One that is not a trial record is neither stored nor quoted: the run
   * records only that it was not one, by its error code, so a URL pointed at some other service reveals nothing of it.
   */
  private trialsOfPage(url: string, content: string): string[] {
    try {
      return parseSnapshots(content, {
        receivedAt: this.clock.nowIso(),
        maxBytes: this.config.maxSnapshotBytes,
      }).map((snapshot) => snapshot.nctId);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new RegistryPageFetchError(
        `${redactPageUrl(url)} did not answer with a trial record (${typeof code === 'string' ? code : 'unreadable'}); nothing of it was kept`,
      );
    }
  }

  /**
   * Feeds documents through the bulk ingestion pipeline, in order, and counts the outcomes. Their trials
   * are recorded as brought in by the watchlist first: recorded only once their changes were stored, those
   * changes could be matched meanwhile (webhooks, the live stream) as of trials the watchlist does not
   * watch, and never heard of. A document over MAX_SNAPSHOT_BYTES, which the pipeline refuses with the
   * whole batch, is rejected alone: an error of its trial, not kept, and the others on its page go on.
   */
  private async ingestAll(documents: RegistryDocument[], run: Run, tally: RunTally): Promise<void> {
    const accepted = documents.filter((document) => {
      try {
        assertSnapshotSize(document.content, this.config.maxSnapshotBytes);
        return true;
      } catch (error) {
        tally.refused(document.scope, error);
        return false;
      }
    });
    if (accepted.length < documents.length) {
      const { errors, notes } = tally.unsaved();
      await this.database.transaction(async (sql) => {
        await this.store.addToRunCounts(run.id, { ...NO_COUNTS, rejected: documents.length - accepted.length }, sql);
        await this.store.addToRunRecords(run.id, errors, notes, sql);
      });
    }
    if (accepted.length === 0) return;
    await this.store.recordTrials(
      run.watchlistId,
      accepted.flatMap((document) => document.nctIds),
      run.startedAt,
    );
    const observedAt = this.clock.nowIso();
    const ingestions: Ingestion[] = await this.commandBus.execute(
      new IngestSnapshotsCommand(
        accepted.map((document) => ({
          content: Buffer.from(document.content),
          mediaType: document.mediaType,
          source: document.source,
          correlationId: run.id,
          effectiveAt: document.effectiveAt ?? null,
          observedAt: document.effectiveAt ?? observedAt,
        })),
        undefined,
        // A worker that dies once a batch is committed leaves the run with its counts and errors alike.
        async (sql, outcomes) => {
          await this.store.addToRunCounts(run.id, countsOfOutcomes(outcomes), sql);
          const errors = outcomes.map(runErrorOfOutcome).filter((error) => error !== null);
          await this.store.addToRunRecords(run.id, errors, [], sql);
        },
      ),
    );
    ingestions.forEach((ingestion) => tally.ingested(ingestion));
    await this.keep(run, tally);
  }
}
