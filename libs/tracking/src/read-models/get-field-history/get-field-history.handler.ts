import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DomainError, TRACKED_FIELDS } from '@app/domain';
import { FieldHistoryRepository } from '../repositories/field-history.repository.js';
import { TrialLookup } from '../lookup-trial/trial-lookup.js';
import { type FieldHistory, GetFieldHistoryQuery } from './get-field-history.query.js';

export class UnknownFieldError extends DomainError {
  readonly code = 'request.unknown-field';
  readonly kind = 'invalid' as const;
  constructor(field: string) {
    super(`"${field}" is not a tracked field; tracked fields: ${TRACKED_FIELDS.join(', ')}`, { field });
  }
}

@QueryHandler(GetFieldHistoryQuery)
export class GetFieldHistoryHandler implements IQueryHandler<GetFieldHistoryQuery> {
  constructor(
    private readonly repository: FieldHistoryRepository,
    private readonly lookup: TrialLookup,
  ) {}

  async execute({ nctId, field, order }: GetFieldHistoryQuery): Promise<FieldHistory> {
    if (field !== null && !(TRACKED_FIELDS as readonly string[]).includes(field)) throw new UnknownFieldError(field);
    const rows = await this.repository.ofTrial(nctId, field, order);
    if (rows.length === 0) await this.lookup.assertKnown(nctId);
    return {
      nctId,
      field,
      order,
      changes: rows.map((row) => ({
        field: row.field,
        from: row.from_value,
        to: row.to_value,
        eventType: row.event_type,
        learned: row.event_type === 'trial.facts-learned',
        eventId: row.event_id,
        streamVersion: row.stream_version,
        occurredAt: row.occurred_at.toISOString(),
        recordedAt: row.recorded_at.toISOString(),
      })),
    };
  }
}
