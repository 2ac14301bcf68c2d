import { Injectable } from '@nestjs/common';
import type { Sql, StoredEvent } from '@app/infrastructure';
import { nctIdOfStream, type Projection, type TableNames } from './projection.js';

const STATUS_EVENT_TYPES = ['trial.registered', 'trial.overall-status-changed'];

interface StatusEvent {
  stream_id: string;
  event_id: string;
  status: string | null;
  occurred_at: Date;
}

/**
 * A trial's overall status as periods: each status, when it began and when the next one replaced it.
 * The periods of every trial a batch touches are recomputed from that trial's status events in stream
 * order, so they never depend on the order or number of times batches are applied.
 */
@Injectable()
export class StatusHistoryProjection implements Projection<'periods'> {
  readonly name = 'status-history';
  readonly tables = { periods: 'trial_status_periods' };
  readonly needsPayload = false;

  async apply(sql: Sql, events: readonly StoredEvent[], tables: TableNames<'periods'>): Promise<void> {
    const touched = [...new Set(events.filter((e) => STATUS_EVENT_TYPES.includes(e.type)).map((e) => e.streamId))];
    if (touched.length === 0) return;
    const last = events[events.length - 1]!;
    const statusEvents = await sql.query<StatusEvent>(
      `SELECT stream_id, event_id, occurred_at,
              CASE type WHEN 'trial.registered' THEN data#>>'{facts,overallStatus}' ELSE data->>'to' END AS status
       FROM events
       WHERE stream_id = ANY($1::text[]) AND type = ANY($2::text[])
         AND (transaction_id, global_position) <= ($3::xid8, $4::bigint)
       ORDER BY stream_id, stream_version`,
      [touched, STATUS_EVENT_TYPES, last.transactionId, last.globalPosition],
    );
    const periods: {
      nctId: string;
      index: number;
      status: string;
      startedAt: Date;
      endedAt: Date | null;
      eventId: string;
    }[] = [];
    for (const event of statusEvents) {
      if (!event.status) continue;
      const nctId = nctIdOfStream(event.stream_id);
      const previous = periods.at(-1);
      if (previous?.nctId === nctId) previous.endedAt = event.occurred_at;
      periods.push({
        nctId,
        index: previous?.nctId === nctId ? previous.index + 1 : 1,
        status: event.status,
        startedAt: event.occurred_at,
        endedAt: null,
        eventId: event.event_id,
      });
    }
    await sql.execute(`DELETE FROM ${tables.periods} WHERE nct_id = ANY($1::text[])`, [touched.map(nctIdOfStream)]);
    await sql.execute(
      `INSERT INTO ${tables.periods} (nct_id, period_index, status, started_at, ended_at, started_by_event_id)
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::uuid[])`,
      [
        periods.map((p) => p.nctId),
        periods.map((p) => p.index),
        periods.map((p) => p.status),
        periods.map((p) => p.startedAt),
        periods.map((p) => p.endedAt),
        periods.map((p) => p.eventId),
      ],
    );
  }
}
