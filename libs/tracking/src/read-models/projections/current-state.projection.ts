import { Injectable } from '@nestjs/common';
import { decodeEvent, evolve, nctIdOfStream } from '@app/domain';
import type { Sql, StoredEvent } from '@app/infrastructure';
import {
  CURRENT_STATE_TABLE,
  type CurrentStateRow,
  CurrentStateRepository,
} from '../repositories/current-state.repository.js';
import type { Projection, TableNames } from './projection.js';

/** The current state of every trial, folded from its events, with columns to search on. */
@Injectable()
export class CurrentStateProjection implements Projection<'state'> {
  readonly name = 'current-state';
  readonly tables = { state: CURRENT_STATE_TABLE };
  readonly needsPayload = true;

  constructor(private readonly repository: CurrentStateRepository) {}

  async apply(sql: Sql, events: readonly StoredEvent[], tables: TableNames<'state'>): Promise<void> {
    const nctIds = [...new Set(events.map((event) => nctIdOfStream(event.streamId)))];
    const existing = await this.repository.rowsOf(sql, tables.state, nctIds);
    const rows = new Map(existing.map((row) => [row.nct_id, row]));
    const changed = new Set<string>();
    for (const stored of events) {
      const event = decodeEvent(stored);
      const nctId = nctIdOfStream(stored.streamId);
      const row = rows.get(nctId);
      // Replays (a rebuild racing the live runner, a retried batch) must not apply an event twice.
      if (!event || (row && stored.streamVersion <= row.stream_version)) continue;
      if (!row && event.type !== 'trial.registered') continue;
      const next: CurrentStateRow = {
        nct_id: nctId,
        stream_version: stored.streamVersion,
        facts: evolve(row?.facts ?? null, event),
        registered_at: row?.registered_at ?? stored.occurredAt,
        last_changed_at: stored.occurredAt,
        last_recorded_at: stored.recordedAt,
        last_event_type: stored.type,
        last_global_position: stored.globalPosition,
      };
      rows.set(nctId, next);
      changed.add(nctId);
    }
    await this.repository.upsert(
      sql,
      tables.state,
      [...changed].map((nctId) => rows.get(nctId)!),
    );
  }
}
