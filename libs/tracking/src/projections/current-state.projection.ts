import { Injectable } from '@nestjs/common';
import { evolve, type TrialState } from '@app/domain';
import { insertRows, type Sql, type StoredEvent } from '@app/infrastructure';
import { asDomainEvent, nctIdOfStream, type Projection, type TableNames } from './projection.js';

interface Row {
  nct_id: string;
  stream_version: number;
  facts: TrialState;
  registered_at: Date;
  last_changed_at: Date;
  last_recorded_at: Date;
  last_event_type: string;
  last_global_position: string;
}

/** The current state of every trial, folded from its events, with columns to search on. */
@Injectable()
export class CurrentStateProjection implements Projection<'state'> {
  readonly name = 'current-state';
  readonly tables = { state: 'trial_current_state' };
  readonly needsPayload = true;

  async apply(sql: Sql, events: readonly StoredEvent[], tables: TableNames<'state'>): Promise<void> {
    const nctIds = [...new Set(events.map((event) => nctIdOfStream(event.streamId)))];
    const existing = await sql.query<Row>(
      `SELECT nct_id, stream_version, facts, registered_at, last_changed_at, last_recorded_at, last_event_type,
              last_global_position::text AS last_global_position
       FROM ${tables.state} WHERE nct_id = ANY($1::text[])`,
      [nctIds],
    );
    const rows = new Map(existing.map((row) => [row.nct_id, row]));
    const changed = new Set<string>();
    for (const stored of events) {
      const event = asDomainEvent(stored);
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
    if (changed.size === 0) return;
    const updated = [...changed].map((nctId) => rows.get(nctId)!);
    await insertRows(
      sql,
      {
        into: `${tables.state} AS t`,
        columns: [
          'nct_id',
          'stream_version',
          'facts',
          'brief_title',
          'overall_status',
          'phases',
          'study_type',
          'lead_sponsor',
          'conditions',
          'registered_at',
          'last_changed_at',
          'last_recorded_at',
          'last_event_type',
          'last_global_position',
        ],
        types: [
          'text',
          'int',
          'jsonb',
          'text',
          'text',
          'text[]',
          'text',
          'text',
          'text[]',
          'timestamptz',
          'timestamptz',
          'timestamptz',
          'text',
          'bigint',
        ],
        suffix: `ON CONFLICT (nct_id) DO UPDATE SET
           stream_version = EXCLUDED.stream_version, facts = EXCLUDED.facts, brief_title = EXCLUDED.brief_title,
           overall_status = EXCLUDED.overall_status, phases = EXCLUDED.phases, study_type = EXCLUDED.study_type,
           lead_sponsor = EXCLUDED.lead_sponsor, conditions = EXCLUDED.conditions,
           last_changed_at = EXCLUDED.last_changed_at, last_recorded_at = EXCLUDED.last_recorded_at,
           last_event_type = EXCLUDED.last_event_type, last_global_position = EXCLUDED.last_global_position
         WHERE t.stream_version < EXCLUDED.stream_version`,
      },
      updated.map((row) => [
        row.nct_id,
        row.stream_version,
        JSON.stringify(row.facts),
        row.facts.briefTitle,
        row.facts.overallStatus,
        row.facts.phases ?? [],
        row.facts.studyType,
        row.facts.leadSponsor?.name ?? null,
        row.facts.conditions ?? [],
        row.registered_at,
        row.last_changed_at,
        row.last_recorded_at,
        row.last_event_type,
        row.last_global_position,
      ]),
    );
  }
}
