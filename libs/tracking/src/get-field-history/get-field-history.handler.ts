import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DomainError, TRACKED_FIELDS } from '@app/domain';
import { Database } from '@app/infrastructure';
import { TrialLookup } from '../shared/trial-lookup.js';
import { type FieldHistory, GetFieldHistoryQuery } from './get-field-history.query.js';

export class UnknownFieldError extends DomainError {
  readonly code = 'request.unknown-field';
  readonly kind = 'invalid' as const;
  constructor(field: string) {
    super(`"${field}" is not a tracked field; tracked fields: ${TRACKED_FIELDS.join(', ')}`, { field });
  }
}

interface Row {
  field: string;
  from_value: unknown;
  to_value: unknown;
  event_type: string;
  event_id: string;
  stream_version: number;
  occurred_at: Date;
  recorded_at: Date;
}

@QueryHandler(GetFieldHistoryQuery)
export class GetFieldHistoryHandler implements IQueryHandler<GetFieldHistoryQuery> {
  constructor(
    private readonly database: Database,
    private readonly lookup: TrialLookup,
  ) {}

  async execute({ nctId, field, order }: GetFieldHistoryQuery): Promise<FieldHistory> {
    if (field !== null && !(TRACKED_FIELDS as readonly string[]).includes(field)) throw new UnknownFieldError(field);
    const direction = order === 'oldest' ? 'ASC' : 'DESC';
    const rows = await this.database.query<Row>(
      `SELECT field, from_value, to_value, event_type, event_id, stream_version, occurred_at, recorded_at
       FROM trial_field_history
       WHERE nct_id = $1 AND ($2::text IS NULL OR field = $2)
       ORDER BY occurred_at ${direction}, stream_version ${direction}, field`,
      [nctId, field],
    );
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
        eventId: row.event_id,
        streamVersion: row.stream_version,
        occurredAt: row.occurred_at.toISOString(),
        recordedAt: row.recorded_at.toISOString(),
      })),
    };
  }
}
