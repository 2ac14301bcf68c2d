import { Injectable } from '@nestjs/common';
import { fieldChangesOf } from '@app/domain';
import type { Sql, StoredEvent } from '@app/infrastructure';
import { asDomainEvent, nctIdOfStream, type Projection, type TableNames } from './projection.js';

/** One row per field a change touched: what it was, what it became, when. */
@Injectable()
export class FieldHistoryProjection implements Projection<'history'> {
  readonly name = 'field-history';
  readonly tables = { history: 'trial_field_history' };

  async apply(sql: Sql, events: readonly StoredEvent[], tables: TableNames<'history'>): Promise<void> {
    const rows = events.flatMap((stored) => {
      const event = asDomainEvent(stored);
      return event ? fieldChangesOf(event).map((change) => ({ stored, change })) : [];
    });
    if (rows.length === 0) return;
    await sql.execute(
      `INSERT INTO ${tables.history} (event_id, field, nct_id, event_type, from_value, to_value, occurred_at, recorded_at, stream_version, global_position)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[], $7::timestamptz[], $8::timestamptz[], $9::int[], $10::bigint[])
       ON CONFLICT (event_id, field) DO NOTHING`,
      [
        rows.map(({ stored }) => stored.eventId),
        rows.map(({ change }) => change.field),
        rows.map(({ stored }) => nctIdOfStream(stored.streamId)),
        rows.map(({ stored }) => stored.type),
        rows.map(({ change }) => JSON.stringify(change.from ?? null)),
        rows.map(({ change }) => JSON.stringify(change.to ?? null)),
        rows.map(({ stored }) => stored.occurredAt),
        rows.map(({ stored }) => stored.recordedAt),
        rows.map(({ stored }) => stored.streamVersion),
        rows.map(({ stored }) => stored.globalPosition),
      ],
    );
  }
}
