import { DomainError } from '@app/domain';

/** Raised for any input that cannot become a trial snapshot; nothing half-filled is ever returned. */
export class SnapshotParseError extends DomainError {
  readonly kind = 'invalid' as const;
  constructor(
    readonly code:
      | 'snapshot.empty'
      | 'snapshot.binary'
      | 'snapshot.too-large'
      | 'snapshot.malformed'
      | 'snapshot.not-a-trial-record'
      | 'snapshot.missing-nct-id'
      | 'snapshot.unsupported-format',
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, details);
  }
}
