import { Injectable } from '@nestjs/common';
import { decodeEvent, fieldChangesOf, nctIdOfStream, TYPES_WITHOUT_FIELD_CHANGES } from '@app/domain';
import type { Sql, StoredEvent } from '@app/infrastructure';
import { FIELD_HISTORY_TABLE, FieldHistoryRepository } from '../repositories/field-history.repository.js';
import type { Projection, TableNames } from './projection.js';

/** One row per field a change touched: what it was, what it became, when. */
@Injectable()
export class FieldHistoryProjection implements Projection<'history'> {
  readonly name = 'field-history';
  readonly tables = { history: FIELD_HISTORY_TABLE };
  readonly needsPayload = true;
  /** Registrations, the largest events, are read without their data: they change no field. */
  readonly envelopeOnlyTypes = TYPES_WITHOUT_FIELD_CHANGES;

  constructor(private readonly repository: FieldHistoryRepository) {}

  apply(sql: Sql, events: readonly StoredEvent[], tables: TableNames<'history'>): Promise<void> {
    const rows = events.flatMap((stored) => {
      if (this.envelopeOnlyTypes.includes(stored.type)) return [];
      const event = decodeEvent(stored);
      return (event ? fieldChangesOf(event) : []).map((change) => ({
        event_id: stored.eventId,
        field: change.field,
        nct_id: nctIdOfStream(stored.streamId),
        event_type: stored.type,
        from_value: change.from,
        to_value: change.to,
        occurred_at: stored.occurredAt,
        recorded_at: stored.recordedAt,
        stream_version: stored.streamVersion,
        global_position: stored.globalPosition,
      }));
    });
    return this.repository.insert(sql, tables.history, rows);
  }
}
