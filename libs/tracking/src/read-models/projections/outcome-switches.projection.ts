import { Injectable } from '@nestjs/common';
import { CONDUCT_DATE_FACTS, conductDatesAfter, decodeEvent, nctIdOfStream, outcomeSwitchOf } from '@app/domain';
import type { Sql, StoredEvent } from '@app/infrastructure';
import {
  CONDUCT_DATES_TABLE,
  type ConductDatesRow,
  OUTCOME_SWITCHES_TABLE,
  type OutcomeSwitchRow,
  OutcomeSwitchesRepository,
} from '../repositories/outcome-switches.repository.js';
import type { Projection, TableNames } from './projection.js';

/** Every primary-outcome change placed against the trial's start and primary completion as they stood then. */
@Injectable()
export class OutcomeSwitchesProjection implements Projection<'switches' | 'dates'> {
  readonly name = 'outcome-switches';
  readonly tables = { switches: OUTCOME_SWITCHES_TABLE, dates: CONDUCT_DATES_TABLE };
  readonly needsPayload = true;
  readonly payloadFacts = CONDUCT_DATE_FACTS;

  constructor(private readonly repository: OutcomeSwitchesRepository) {}

  async apply(sql: Sql, events: readonly StoredEvent[], tables: TableNames<'switches' | 'dates'>): Promise<void> {
    const nctIds = [...new Set(events.map((event) => nctIdOfStream(event.streamId)))];
    const dates = await this.repository.datesOf(sql, tables.dates, nctIds);
    const changed = new Set<string>();
    const switches: OutcomeSwitchRow[] = [];
    for (const stored of events) {
      const event = decodeEvent(stored);
      const nctId = nctIdOfStream(stored.streamId);
      const before = dates.get(nctId) ?? null;
      if (!event || (before && stored.streamVersion <= before.streamVersion)) continue;
      const outcomeSwitch = outcomeSwitchOf(event, before, stored.occurredAt.toISOString());
      if (outcomeSwitch) {
        switches.push({
          eventId: stored.eventId,
          nctId,
          streamVersion: stored.streamVersion,
          occurredAt: stored.occurredAt,
          outcomeSwitch,
        });
      }
      const after: ConductDatesRow = {
        nctId,
        streamVersion: stored.streamVersion,
        ...conductDatesAfter(before, event),
      };
      dates.set(nctId, after);
      changed.add(nctId);
    }
    await this.repository.saveDates(
      sql,
      tables.dates,
      [...changed].map((nctId) => dates.get(nctId)!),
    );
    await this.repository.insertSwitches(sql, tables.switches, switches);
  }
}
