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

  byName(name: string): Projection {
    const projection = this.projections.find((candidate) => candidate.name === name);
    if (!projection) {
      throw new UnknownProjectionError(`No projection named "${name}"; known: ${this.names().join(', ')}`, { name });
    }
    return projection;
  }
}
