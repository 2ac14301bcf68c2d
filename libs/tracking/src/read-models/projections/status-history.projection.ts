import { Injectable } from '@nestjs/common';
import { nctIdOfStream } from '@app/domain';
import { EventStore, type Sql, type StoredEvent } from '@app/infrastructure';
import {
  STATUS_PERIODS_TABLE,
  type StatusPeriod,
  StatusPeriodsRepository,
} from '../repositories/status-periods.repository.js';
import type { Projection, TableNames } from './projection.js';

/** The overall status each status event carries: all that this projection reads of the event data. */
const STATUS_OF: Record<string, readonly string[]> = {
  'trial.registered': ['facts', 'overallStatus'],
  'trial.overall-status-changed': ['to'],
  'trial.facts-learned': ['facts', 'overallStatus'],
};

/**
 * A trial's overall status as periods: each status, when it began and when the next one replaced it
 * (status changes open periods; a learned status corrects the current one).
 * The periods of every trial a batch touches are recomputed from all that trial's status events in
 * stream order (not only those up to the batch: a batch applied again after later ones, as a replay does,
 * must not take the periods back), so they never depend on the order or number of times batches are applied.
 */
@Injectable()
export class StatusHistoryProjection implements Projection<'periods'> {
  readonly name = 'status-history';
  readonly tables = { periods: STATUS_PERIODS_TABLE };
  readonly needsPayload = false;

  constructor(
    private readonly eventStore: EventStore,
    private readonly repository: StatusPeriodsRepository,
  ) {}

  async apply(sql: Sql, events: readonly StoredEvent[], tables: TableNames<'periods'>): Promise<void> {
    const touched = [...new Set(events.filter((e) => e.type in STATUS_OF).map((e) => e.streamId))];
    if (touched.length === 0) return;
    const streams = await this.eventStore.readStreamsOfTypes(touched, STATUS_OF, null, sql);
    const periods: StatusPeriod[] = [];
    for (const [streamId, statusEvents] of streams) {
      const nctId = nctIdOfStream(streamId);
      for (const event of statusEvents) {
        const status = event.data;
        if (typeof status !== 'string' || !status) continue;
        const previous = periods.at(-1);
        // A learned status is what the trial's status was all along (a source showed what another could
        // not): it starts the first period, or corrects the current one; it never opens a new one. Where
        // it corrects the current one back to the status before it, that status was never left.
        if (event.type === 'trial.facts-learned' && previous?.nctId === nctId) {
          const before = periods.at(-2);
          if (before?.nctId === nctId && before.status === status) {
            periods.pop();
            before.endedAt = null;
          } else previous.status = status;
          continue;
        }
        if (previous?.nctId === nctId) previous.endedAt = event.occurredAt;
        periods.push({
          nctId,
          index: previous?.nctId === nctId ? previous.index + 1 : 1,
          status,
          startedAt: event.occurredAt,
          endedAt: null,
          eventId: event.eventId,
        });
      }
    }
    await this.repository.replace(sql, tables.periods, touched.map(nctIdOfStream), periods);
  }
}
