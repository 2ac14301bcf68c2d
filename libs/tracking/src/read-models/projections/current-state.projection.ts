import { Inject, Injectable } from '@nestjs/common';
import { decodeEvent, type DomainEventType, evolve, nctIdOfStream, type TrialState } from '@app/domain';
import { APP_CONFIG, type AppConfig, EventStore, Metrics, type Sql, type StoredEvent } from '@app/infrastructure';
import {
  CURRENT_STATE_TABLE,
  type CurrentStateRow,
  type CurrentStateUpdate,
  CurrentStateRepository,
} from '../repositories/current-state.repository.js';
import { trialFactsAt } from '../repositories/trial-facts-at.js';
import { columnFactsOf } from './column-facts.js';
import { VersionedStateCache } from './versioned-state-cache.js';
import type { Projection, TableNames } from './projection.js';

/**
 * Whether an event of each type can change a fact the row's columns are made of (`trialSignalsOf`'s
 * included). Every type is named, so a new one must be placed; `current-state.projection.spec.ts`
 * checks the `false` ones leave every column as it was.
 */
export const COLUMN_EVENTS: Readonly<Record<DomainEventType, boolean>> = {
  'trial.registered': true,
  'trial.facts-learned': true,
  'trial.overall-status-changed': true,
  'trial.last-known-status-changed': false,
  'trial.why-stopped-changed': false,
  'trial.enrollment-updated': true,
  'trial.start-date-changed': false,
  'trial.primary-completion-date-changed': true,
  'trial.completion-date-changed': true,
  'trial.results-posted': true,
  'trial.results-removed': true,
  'trial.results-submitted': true,
  'trial.phases-changed': true,
  'trial.study-type-changed': true,
  'trial.design-changed': false,
  'trial.primary-outcomes-changed': false,
  'trial.secondary-outcomes-changed': false,
  'trial.locations-changed': true,
  'trial.conditions-changed': true,
  'trial.keywords-changed': false,
  'trial.interventions-changed': false,
  'trial.arm-groups-changed': false,
  'trial.title-changed': true,
  'trial.summary-changed': false,
  'trial.lead-sponsor-changed': true,
  'trial.collaborators-changed': false,
  'trial.results-overdue': false,
  'trial.hygiene-flag-raised': false,
  'trial.hygiene-flag-cleared': false,
  'trial.secondary-ids-changed': true,
  'trial.references-changed': false,
  'trial.officials-changed': false,
  'trial.nct-id-aliases-changed': true,
  'trial.fda-regulation-changed': true,
  'trial.eligibility-changed': false,
  'trial.status-verified-date-moved': true,
  'trial.registration-dates-corrected': false,
  'trial.last-update-posted-date-moved': false,
};

const changesColumns = (type: string): boolean => (COLUMN_EVENTS as Record<string, boolean | undefined>)[type] ?? true;

/**
 * The current state of every trial, as columns to search on. A trial's facts are folded from its stream
 * (from its kept state) where they are needed, before the batch and on read, instead of being kept here
 * as a whole document that every event would rewrite. A trial whose events in the batch change none of
 * its columns (a new start date, a new last-update date) is not folded: its row only moves on. The
 * column facts of the trials most recently written are kept in memory at their row's version
 * (`PROJECTION_FACTS_CACHE_TRIALS`), so a later batch that changes them folds nothing from the store.
 */
@Injectable()
export class CurrentStateProjection implements Projection<'state'> {
  readonly name = 'current-state';
  readonly tables = { state: CURRENT_STATE_TABLE };
  readonly needsPayload = true;
  readonly rebuildsStreamByStream = true;
  /** Trials' column facts at their row's version. */
  private readonly cache: VersionedStateCache<TrialState>;

  constructor(
    private readonly repository: CurrentStateRepository,
    private readonly eventStore: EventStore,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cache = new VersionedStateCache(config.projectionFactsCacheTrials);
  }

  async apply(sql: Sql, events: readonly StoredEvent[], tables: TableNames<'state'>): Promise<void> {
    const nctIds = [...new Set(events.map((event) => nctIdOfStream(event.streamId)))];
    const existing = await this.repository.rowsOf(sql, tables.state, nctIds);
    const versions = new Map(existing.map((row) => [row.nct_id, row.stream_version]));
    const folding = new Set(
      events
        .filter((event) => event.streamVersion > (versions.get(nctIdOfStream(event.streamId)) ?? Infinity))
        .filter((event) => changesColumns(event.type))
        .map((event) => nctIdOfStream(event.streamId)),
    );
    const cached = new Map(
      existing.flatMap((row) => {
        const facts = folding.has(row.nct_id) ? this.cache.get(row.nct_id, row.stream_version)?.state : undefined;
        return facts ? [[row.nct_id, facts] as const] : [];
      }),
    );
    const missed = existing.filter((row) => folding.has(row.nct_id) && !cached.has(row.nct_id));
    this.metrics.projectionFactsCache.inc({ projection: this.name, result: 'miss' }, missed.length);
    this.metrics.projectionFactsCache.inc({ projection: this.name, result: 'hit' }, cached.size);
    const folded = await trialFactsAt(
      this.eventStore,
      sql,
      missed.map((row) => [row.nct_id, row.stream_version] as const),
    );
    // Each trial's row as the batch goes, with its facts where they were folded (null: columns unchanged).
    const rows = new Map<string, CurrentStateRow & { facts: TrialState | null }>(
      existing.flatMap((row) => {
        const facts = cached.get(row.nct_id) ?? folded.get(row.nct_id) ?? null;
        return facts || !folding.has(row.nct_id) ? [[row.nct_id, { ...row, facts }]] : [];
      }),
    );
    const changed = new Set<string>();
    for (const stored of events) {
      const event = decodeEvent(stored);
      const nctId = nctIdOfStream(stored.streamId);
      const row = rows.get(nctId);
      // Replays (a rebuild racing the live runner, a retried batch) must not apply an event twice.
      if (!event || (row && stored.streamVersion <= row.stream_version)) continue;
      if (!row && event.type !== 'trial.registered') continue;
      rows.set(nctId, {
        nct_id: nctId,
        stream_version: stored.streamVersion,
        facts: row && !row.facts ? null : evolve(row?.facts ?? null, event),
        registered_at: row?.registered_at ?? stored.occurredAt,
        last_changed_at: stored.occurredAt,
        last_recorded_at: stored.recordedAt,
        last_event_type: stored.type,
        last_global_position: stored.globalPosition,
      });
      changed.add(nctId);
    }
    const written = [...changed].map((nctId) => rows.get(nctId)!);
    await this.repository.upsert(
      sql,
      tables.state,
      written.filter((row): row is CurrentStateUpdate => row.facts !== null),
    );
    await this.repository.advance(
      sql,
      tables.state,
      written.filter((row) => row.facts === null),
    );
    for (const row of written) {
      if (row.facts) this.cache.set(row.nct_id, row.stream_version, columnFactsOf(row.facts));
      else if (versions.has(row.nct_id)) this.cache.advance(row.nct_id, versions.get(row.nct_id)!, row.stream_version);
    }
  }
}
