import { Injectable } from '@nestjs/common';
import type { Sql, StoredEvent } from '@app/infrastructure';
import { asDomainEvent, nctIdOfStream, type Projection, type TableNames } from './projection.js';

interface Period {
  nct_id: string;
  period_index: number;
  status: string;
  started_at: Date;
  ended_at: Date | null;
  started_by_event_id: string;
}

/** A trial's overall status as periods: each status, when it began and when the next one replaced it. */
@Injectable()
export class StatusHistoryProjection implements Projection<'periods'> {
  readonly name = 'status-history';
  readonly tables = { periods: 'trial_status_periods' };

  async apply(sql: Sql, events: readonly StoredEvent[], tables: TableNames<'periods'>): Promise<void> {
    const statusEvents = events.flatMap((stored) => {
      const event = asDomainEvent(stored);
      if (event?.type === 'trial.overall-status-changed') return [{ stored, status: event.data.to }];
      if (event?.type === 'trial.registered' && event.data.facts.overallStatus) {
        return [{ stored, status: event.data.facts.overallStatus }];
      }
      return [];
    });
    if (statusEvents.length === 0) return;
    const nctIds = [...new Set(statusEvents.map(({ stored }) => nctIdOfStream(stored.streamId)))];
    const latest = await sql.query<Period>(
      `SELECT DISTINCT ON (nct_id) nct_id, period_index, status, started_at, ended_at, started_by_event_id
       FROM ${tables.periods} WHERE nct_id = ANY($1::text[]) ORDER BY nct_id, period_index DESC`,
      [nctIds],
    );
    const seen = new Set(
      (
        await sql.query<{ started_by_event_id: string }>(
          `SELECT started_by_event_id FROM ${tables.periods} WHERE started_by_event_id = ANY($1::uuid[])`,
          [statusEvents.map(({ stored }) => stored.eventId)],
        )
      ).map((row) => row.started_by_event_id),
    );
    const last = new Map(latest.map((period) => [period.nct_id, period]));
    const writes = new Map<string, Period>();
    for (const { stored, status } of statusEvents) {
      if (seen.has(stored.eventId)) continue;
      const nctId = nctIdOfStream(stored.streamId);
      const previous = last.get(nctId);
      if (previous && previous.ended_at === null) {
        const closed = { ...previous, ended_at: stored.occurredAt };
        writes.set(`${nctId}:${closed.period_index}`, closed);
      }
      const opened: Period = {
        nct_id: nctId,
        period_index: (previous?.period_index ?? 0) + 1,
        status,
        started_at: stored.occurredAt,
        ended_at: null,
        started_by_event_id: stored.eventId,
      };
      writes.set(`${nctId}:${opened.period_index}`, opened);
      last.set(nctId, opened);
    }
    if (writes.size === 0) return;
    const periods = [...writes.values()];
    await sql.execute(
      `INSERT INTO ${tables.periods} AS p (nct_id, period_index, status, started_at, ended_at, started_by_event_id)
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::uuid[])
       ON CONFLICT (nct_id, period_index) DO UPDATE SET ended_at = EXCLUDED.ended_at`,
      [
        periods.map((p) => p.nct_id),
        periods.map((p) => p.period_index),
        periods.map((p) => p.status),
        periods.map((p) => p.started_at),
        periods.map((p) => p.ended_at),
        periods.map((p) => p.started_by_event_id),
      ],
    );
  }
}
