import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/domain';
import { ChangeFeedProjection } from './change-feed.projection.js';
import { CurrentStateProjection } from './current-state.projection.js';
import { FieldHistoryProjection } from './field-history.projection.js';
import { OutcomeSwitchesProjection } from './outcome-switches.projection.js';
import type { Projection } from './projection.js';
import { StatusHistoryProjection } from './status-history.projection.js';

export class UnknownProjectionError extends DomainError {
  readonly code = 'projection.unknown';
  readonly kind = 'not-found' as const;
}

/** The catch-up unit of the projections that read event data. */
export const EVENT_DATA_READERS = 'event-data-readers';

@Injectable()
export class ProjectionRegistry {
  private readonly projections: Projection[];

  constructor(
    currentState: CurrentStateProjection,
    fieldHistory: FieldHistoryProjection,
    statusHistory: StatusHistoryProjection,
    changeFeed: ChangeFeedProjection,
    outcomeSwitches: OutcomeSwitchesProjection,
  ) {
    this.projections = [currentState, fieldHistory, statusHistory, changeFeed, outcomeSwitches];
  }

  all(): Projection[] {
    return [...this.projections];
  }

  names(): string[] {
    return this.projections.map((projection) => projection.name);
  }

  /**
   * What the worker catches up as one, by name: the projections that read event data, together (each
   * batch read once for all of them, `ProjectionRunner.catchUpTogether`), and each other one alone.
   */
  catchUpUnits(): Map<string, Projection[]> {
    const readingData = this.projections.filter((projection) => projection.needsPayload);
    return new Map([
      [EVENT_DATA_READERS, readingData],
      ...this.projections
        .filter((projection) => !projection.needsPayload)
        .map((projection) => [projection.name, [projection]] as [string, Projection[]]),
    ]);
  }

  /** The unit a wake-up names: a unit's name, or a projection's (as wake-ups queued before units were). */
  catchUpUnit(name: string): Projection[] {
    const units = this.catchUpUnits();
    const unit = units.get(name);
    if (unit) return unit;
    const projection = this.byName(name);
    return [...units.values()].find((members) => members.includes(projection))!;
  }

  byName(name: string): Projection {
    const projection = this.projections.find((candidate) => candidate.name === name);
    if (!projection) {
      throw new UnknownProjectionError(`No projection named "${name}"; known: ${this.names().join(', ')}`, { name });
    }
    return projection;
  }
}
