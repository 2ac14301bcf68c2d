import { DomainError } from '@app/domain';

export class ConcurrencyError extends DomainError {
  readonly code = 'event-store.concurrency-conflict';
  readonly kind = 'conflict' as const;
  constructor(readonly conflicts: { streamId: string; expected: ExpectedVersionDescription }[]) {
    super(
      `Another writer appended first: ${conflicts
        .map(({ streamId, expected }) => `${streamId} (expected ${expected})`)
        .join(', ')}`,
      { conflicts },
    );
  }
}

export type ExpectedVersionDescription = string;
