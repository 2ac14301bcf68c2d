import { Injectable } from '@nestjs/common';
import { fieldChangesOf } from '@app/domain';
import { insertRows, type Sql, type StoredEvent } from '@app/infrastructure';
import { asDomainEvent, nctIdOfStream, type Projection, type TableNames } from './projection.js';

/** One row per field a change touched: what it was, what it became, when. */
@Injectable()
export class FieldHistoryProjection implements Projection<'history'> {
  readonly name = 'field-history';
  readonly tables = { history: 'trial_field_history' };
  readonly needsPayload = true;

  async apply(sql: Sql, events: readonly StoredEvent[], tables: TableNames<'history'>): Promise<void> {
    const rows = events.flatMap((stored) => {
      const event = asDomainEvent(stored);
      return event ? fieldChangesOf(event).map((change) => ({ stored, change })) : [];
    });
    if (rows.length === 0) return;
    await insertRows(
      sql,
      {
        into: tables.history,
        columns: [
          'event_id',
          'field',
          'nct_id',
          'event_type',
          'from_value',
          'to_value',
          'occurred_at',
          'recorded_at',
          'stream_version',
          'global_position',
        ],
        types: ['uuid', 'text', 'text', 'text', 'jsonb', 'jsonb', 'timestamptz', 'timestamptz', 'int', 'bigint'],
        suffix: 'ON CONFLICT (event_id, field) DO NOTHING',
      },
      rows.map(({ stored, change }) => [
        stored.eventId,
        change.field,
        nctIdOfStream(stored.streamId),
        stored.type,
        JSON.stringify(change.from ?? null),
        JSON.stringify(change.to ?? null),
        stored.occurredAt,
        stored.recordedAt,
        stored.streamVersion,
        stored.globalPosition,
      ]),
    );
  }
}
