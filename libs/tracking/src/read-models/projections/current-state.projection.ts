import { Injectable } from '@nestjs/common';
import { decodeEvent, evolve, nctIdOfStream } from '@app/domain';
import { EventStore, type Sql, type StoredEvent } from '@app/infrastructure';
import {
  CURRENT_STATE_TABLE,
  type CurrentStateUpdate,
  CurrentStateRepository,
} from '../repositories/current-state.repository.js';
import { trialFactsAt } from '../repositories/trial-facts-at.js';
import type { Projection, TableNames } from './projection.js';

/**
 * The current state of every trial, as columns to search on. A trial's facts are folded from its stream
 * (from its kept state) where they are needed, before the batch and on read, instead of being kept here
 * as a whole document that every event would rewrite.
 */
@Injectable()
export class CurrentStateProjection implements Projection<'state'> {
  readonly name = 'current-state';
  readonly tables = { state: CURRENT_STATE_TABLE };
  readonly needsPayload = true;

  constructor(
    private readonly repository: CurrentStateRepository,
    private readonly eventStore: EventStore,
  ) {}

  async apply(sql: Sql, events: readonly StoredEvent[], tables: TableNames<'state'>): Promise<void> {
    const nctIds = [...new Set(events.map((event) => nctIdOfStream(event.streamId)))];
    const existing = await this.repository.rowsOf(sql, tables.state, nctIds);
    const facts = await trialFactsAt(
      this.eventStore,
      sql,
      existing.map((row) => [row.nct_id, row.stream_version] as const),
    );
    const rows = new Map<string, CurrentStateUpdate>(
      existing.flatMap((row) => {
        const state = facts.get(row.nct_id);
        return state ? [[row.nct_id, { ...row, facts: state }]] : [];
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
        facts: evolve(row?.facts ?? null, event),
        registered_at: row?.registered_at ?? stored.occurredAt,
        last_changed_at: stored.occurredAt,
        last_recorded_at: stored.recordedAt,
        last_event_type: stored.type,
        last_global_position: stored.globalPosition,
      });
      changed.add(nctId);
    }
    await this.repository.upsert(
      sql,
      tables.state,
      [...changed].map((nctId) => rows.get(nctId)!),
    );
  }
}
