import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DomainError, FACT_FIELDS, TRACKED_FIELDS } from '@app/domain';
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

/** The registration dates a correction changes are the facts a record shows: one field under two names. */
const SAME_FIELD: Record<string, string> = {
  'registration.studyFirstSubmitDate': 'studyFirstSubmitDate',
  'registration.studyFirstPostDate': 'studyFirstPostDate',
  studyFirstSubmitDate: 'registration.studyFirstSubmitDate',
  studyFirstPostDate: 'registration.studyFirstPostDate',
};

/**
 * The rows a `?field=` asks for. A change to a part of a struct is stored under the part
 * (`design.masking`), what trialwatch learned of it under the whole (`design`, the struct as learned),
 * and a registration date under two names: the field's own rows, its parts', its other name's, and
 * the whole it is part of, whose learned rows are read for the part alone.
 */
const storedFieldsOf = (field: string): { fields: string[]; whole: string | null } => {
  const [whole, part] = field.split('.') as [string, string | undefined];
  const wholeLearned = part !== undefined && (FACT_FIELDS as readonly string[]).includes(whole) ? whole : null;
  const fields = [
    field,
    ...TRACKED_FIELDS.filter((tracked) => tracked.startsWith(`${field}.`)),
    ...(SAME_FIELD[field] ? [SAME_FIELD[field]] : []),
    ...(wholeLearned ? [wholeLearned] : []),
  ];
  return { fields, whole: wholeLearned };
};

const isStruct = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

@QueryHandler(GetFieldHistoryQuery)
export class GetFieldHistoryHandler implements IQueryHandler<GetFieldHistoryQuery> {
  constructor(
    private readonly repository: FieldHistoryRepository,
    private readonly lookup: TrialLookup,
  ) {}

  async execute({ nctId, field, order }: GetFieldHistoryQuery): Promise<FieldHistory> {
    if (field !== null && !(TRACKED_FIELDS as readonly string[]).includes(field)) throw new UnknownFieldError(field);
    const asked = field === null ? null : storedFieldsOf(field);
    const rows = (await this.repository.ofTrial(nctId, asked?.fields ?? null, order)).flatMap((row) => {
      if (asked?.whole == null || row.field !== asked.whole) return [row];
      // The whole struct as learned, read for the part asked: a part it does not hold is not shown.
      const part = field!.slice(asked.whole.length + 1);
      if (row.event_type !== 'trial.facts-learned' || !isStruct(row.to_value) || !Object.hasOwn(row.to_value, part))
        return [];
      const from = isStruct(row.from_value) ? (row.from_value[part] ?? null) : null;
      return [{ ...row, field: field!, from_value: from, to_value: row.to_value[part] }];
    });
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
